package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/soulseer/soulseer/internal/db"
)

// payoutsFile is payouts.json.
type payoutsFile struct {
	Account *payoutAccountData `json:"account"` // null: never onboarded
	Hold    *holdData          `json:"hold"`    // null: payouts not held
	Payouts []payoutData       `json:"payouts"`
}

type payoutAccountData struct {
	StripeAccountID  string `json:"stripe_account_id"`
	Mode             string `json:"mode"`
	DetailsSubmitted bool   `json:"details_submitted"`
	PayoutsEnabled   bool   `json:"payouts_enabled"`
	Requirements     string `json:"requirements"`
	DisabledReason   string `json:"disabled_reason"`
	CreatedAt        stamp  `json:"created_at"`
	UpdatedAt        stamp  `json:"updated_at"`
}

type holdData struct {
	Reason    string `json:"reason"`
	CreatedAt stamp  `json:"created_at"`
}

type payoutData struct {
	ID               int64    `json:"id"`
	AmountCents      int64    `json:"amount_cents"`
	State            string   `json:"state"`
	StripeTransferID string   `json:"stripe_transfer_id"`
	Failure          string   `json:"failure"`
	RetryOf          optional `json:"retry_of"`
	CreatedAt        stamp    `json:"created_at"`
	UpdatedAt        stamp    `json:"updated_at"`
}

// readPayouts reads payouts.json: a reader's connected account as Stripe
// last described it, any hold on their payouts and the payouts made.
func readPayouts(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f payoutsFile
	var a payoutAccountData
	err := q.QueryRowContext(ctx, `SELECT stripe_account_id, mode, details_submitted, payouts_enabled, requirements, disabled_reason, created_at, updated_at
		FROM payout_accounts WHERE user_id = $1`, userID).
		Scan(&a.StripeAccountID, &a.Mode, &a.DetailsSubmitted, &a.PayoutsEnabled, &a.Requirements, &a.DisabledReason, &a.CreatedAt, &a.UpdatedAt)
	switch {
	case err == nil:
		f.Account = &a
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("privacy: payout account: %w", err)
	}
	var h holdData
	err = q.QueryRowContext(ctx, `SELECT reason, created_at FROM payout_holds WHERE user_id = $1`, userID).Scan(&h.Reason, &h.CreatedAt)
	switch {
	case err == nil:
		f.Hold = &h
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("privacy: payout hold: %w", err)
	}
	f.Payouts, err = list(ctx, q, `SELECT id, amount_cents, state, stripe_transfer_id, failure, retry_of, created_at, updated_at
		FROM payouts WHERE user_id = $1 ORDER BY id`,
		func(r db.Row, x *payoutData) error {
			return r.Scan(&x.ID, &x.AmountCents, &x.State, &x.StripeTransferID, &x.Failure, &x.RetryOf, &x.CreatedAt, &x.UpdatedAt)
		}, userID)
	if err != nil {
		return nil, err
	}
	return f, nil
}
