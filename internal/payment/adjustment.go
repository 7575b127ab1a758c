package payment

import (
	"context"
	"fmt"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// AdjustInput is an admin's credit (positive) or debit (negative) of a
// user's wallet. Key makes a retried request adjust once.
type AdjustInput struct {
	UserID      int64
	AmountCents int64
	Reason      string
	Key         string
}

// What became of an adjustment.
const (
	AdjustPosted   = "posted"   // the money moved
	AdjustPending  = "pending"  // a credit to the admin's own wallet, waiting for a second admin
	AdjustApproved = "approved" // such a credit, approved by another admin: the money moved
	AdjustRejected = "rejected" // such a credit, rejected by another admin: no money moved
)

// AdjustResult tells what an adjustment did: Status is AdjustPosted with
// the ledger transfer, or, for a credit to the admin's own wallet, the
// status of the request it made (RequestID) and its transfer once
// approved. Replayed is true when the idempotency key had been used: the
// result is the first request's and nothing new happened.
type AdjustResult struct {
	Status     string
	TransferID int64
	RequestID  int64
	Replayed   bool
}

// Adjust credits or debits a wallet with a required reason, against the
// adjustments account, audited (WAL-8, SEC-4). A debit never takes the
// wallet below zero. A credit to the acting admin's own wallet moves no
// money: it is recorded as a request that another admin must approve
// (DecideAdjustment).
func (s *Service) Adjust(ctx context.Context, admin account.User, in AdjustInput) (AdjustResult, error) {
	if admin.Role != account.RoleAdmin {
		return AdjustResult{}, apperr.Errorf(apperr.Forbidden, "Only admins can adjust wallets.")
	}
	fields := map[string]string{}
	in.Reason = checkReason(fields, in.Reason)
	if in.AmountCents == 0 || in.AmountCents > ledger.MaxAmount || in.AmountCents < -ledger.MaxAmount {
		fields["amount_cents"] = "Enter a non-zero amount in cents: positive to credit, negative to debit."
	}
	if in.UserID <= 0 {
		fields["user_id"] = "Choose the user."
	}
	if len(in.Key) > 100 {
		fields["idempotency_key"] = "Use at most 100 characters."
	}
	if err := apperr.Validation(fields); err != nil {
		return AdjustResult{}, err
	}
	if in.Key == "" {
		in.Key = NewKey()
	}
	if in.UserID == admin.ID && in.AmountCents > 0 {
		return s.requestSelfCredit(ctx, admin, in)
	}
	var res ledger.Result
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE id = $1`, in.UserID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return apperr.Validation(map[string]string{"user_id": "No such user."})
		}
		var err error
		res, err = s.Ledger.Post(ctx, tx, ledger.Transfer{
			Key:  fmt.Sprintf("adjustment:%d:%s", admin.ID, in.Key),
			Type: ledger.TypeAdjustment,
			Postings: []ledger.Posting{
				{Account: ledger.Wallet(in.UserID), Amount: in.AmountCents},
				{Account: ledger.Adjustments(), Amount: -in.AmountCents},
			},
			CauseType: "admin", CauseID: strconv.FormatInt(admin.ID, 10), Memo: in.Reason, ActorID: admin.ID,
		})
		if err != nil || res.Replayed {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "wallet.adjust", Model: "transfer",
			ObjectID: strconv.FormatInt(res.TransferID, 10),
			Details:  map[string]any{"user": in.UserID, "amount_cents": in.AmountCents, "reason": in.Reason}, At: s.Clock.Now()})
	})
	return AdjustResult{Status: AdjustPosted, TransferID: res.TransferID, Replayed: res.Replayed}, err
}
