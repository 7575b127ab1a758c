package payout

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/stripe/stripe-go/v85"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// ConnectEvent applies a Connect event inside the webhook's transaction
// and returns a note for the event's record (EXT-3): account.updated keeps
// whether the account takes payouts and what Stripe still needs;
// transfer.reversed marks the payout failed and returns its money to the
// reader's earnings, once. Events about accounts or transfers SoulSeer did
// not make are noted and change nothing; only database failures are
// errors.
func (s *Service) ConnectEvent(ctx context.Context, tx *db.Tx, ev stripe.Event) (string, error) {
	switch ev.Type {
	case "account.updated":
		var a stripe.Account
		if err := json.Unmarshal(ev.Data.Raw, &a); err != nil || a.ID == "" {
			return "unreadable account", nil
		}
		st := stateOf(&a)
		known, err := s.updateAccount(ctx, tx, st)
		if err != nil || !known {
			return "no reader has account " + a.ID, err
		}
		return fmt.Sprintf("account %s: payouts enabled %t, %d requirements due", a.ID, st.PayoutsEnabled, len(st.Requirements)), nil
	case "transfer.reversed":
		var t stripe.Transfer
		if err := json.Unmarshal(ev.Data.Raw, &t); err != nil || t.ID == "" {
			return "unreadable transfer", nil
		}
		return s.reversed(ctx, tx, ev.ID, t)
	}
	return "event type not used", nil
}

// reversed returns a reversed transfer's payout to earnings. The payout is
// found by its transfer id, or by the payout id in the transfer's metadata
// when the transfer's id was never saved (a crash before it was).
func (s *Service) reversed(ctx context.Context, tx *db.Tx, eventID string, t stripe.Transfer) (string, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM payouts WHERE stripe_transfer_id = $1`, t.ID).Scan(&id)
	if err != nil {
		id, _ = strconv.ParseInt(t.Metadata["soulseer_payout_id"], 10, 64)
	}
	p, err := getPayout(ctx, tx, id, s.DB.ForUpdate())
	if apperr.CodeOf(err) == apperr.NotFound {
		return "no payout has transfer " + t.ID, nil
	}
	if err != nil {
		return "", err
	}
	if p.State == Failed {
		return fmt.Sprintf("payout %d already returned to earnings", p.ID), nil
	}
	if err := s.giveBack(ctx, tx, p, "The transfer was reversed at Stripe.", "payout.reversed", eventID); err != nil {
		return "", err
	}
	return fmt.Sprintf("payout %d reversed; %d cents returned to earnings", p.ID, p.AmountCents), nil
}
