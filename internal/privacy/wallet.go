package privacy

import (
	"context"
	"errors"

	"github.com/soulseer/soulseer/internal/db"
)

// walletFile is wallet.json.
type walletFile struct {
	Accounts           []balanceData    `json:"accounts"`
	Transfers          []transferData   `json:"transfers"`
	TopUps             []topUpData      `json:"top_ups"`
	Refunds            []refundData     `json:"refunds"`
	Disputes           []disputeData    `json:"disputes"`
	AdjustmentRequests []adjustmentData `json:"adjustment_requests"`
	AutoReloads        []reloadData     `json:"auto_reloads"`
}

type balanceData struct {
	Kind         string `json:"kind"` // wallet, earnings or hold
	BalanceCents int64  `json:"balance_cents"`
}

type transferData struct {
	ID        int64         `json:"id"`
	Type      string        `json:"type"`
	Memo      string        `json:"memo"`
	CreatedAt stamp         `json:"created_at"`
	Postings  []postingData `json:"postings"` // the person's own accounts only
}

type postingData struct {
	Account           string `json:"account"`
	AmountCents       int64  `json:"amount_cents"` // positive: in; negative: out
	BalanceAfterCents int64  `json:"balance_after_cents"`

	of int64
}

type topUpData struct {
	ID            int64  `json:"id"`
	AmountCents   int64  `json:"amount_cents"`
	Currency      string `json:"currency"`
	Status        string `json:"status"`
	Mode          string `json:"mode"`
	CreditedCents int64  `json:"credited_cents"`
	RefundedCents int64  `json:"refunded_cents"`
	CreatedAt     stamp  `json:"created_at"`
	PaidAt        stamp  `json:"paid_at"`
}

type refundData struct {
	ID          int64    `json:"id"`
	Kind        string   `json:"kind"`
	TopUpID     optional `json:"top_up_id"`
	AmountCents int64    `json:"amount_cents"`
	Reason      string   `json:"reason"`
	Status      string   `json:"status"`
	Failure     string   `json:"failure"`
	CreatedAt   stamp    `json:"created_at"`
	UpdatedAt   stamp    `json:"updated_at"`
}

type disputeData struct {
	ID          string   `json:"id"`
	TopUpID     optional `json:"top_up_id"`
	AmountCents int64    `json:"amount_cents"`
	HeldCents   int64    `json:"held_cents"`
	Status      string   `json:"status"`
	CreatedAt   stamp    `json:"created_at"`
	UpdatedAt   stamp    `json:"updated_at"`
}

type adjustmentData struct {
	ID          int64  `json:"id"`
	AmountCents int64  `json:"amount_cents"`
	Reason      string `json:"reason"`
	Status      string `json:"status"`
	CreatedAt   stamp  `json:"created_at"`
	DecidedAt   stamp  `json:"decided_at"`
}

type reloadData struct {
	TopUpID   int64 `json:"top_up_id"`
	CreatedAt stamp `json:"created_at"`
}

// readWallet reads wallet.json: the person's ledger accounts and every
// transfer touching them, each with the postings to their own accounts in
// cents, their top-ups and which of them automatic reloads made, refunds,
// disputes and adjustment requests.
func readWallet(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f walletFile
	var errs [8]error
	var postings []postingData
	f.Accounts, errs[0] = list(ctx, q, `SELECT kind, balance FROM ledger_accounts WHERE user_id = $1 ORDER BY kind`,
		func(r db.Row, x *balanceData) error { return r.Scan(&x.Kind, &x.BalanceCents) }, userID)
	f.Transfers, errs[1] = list(ctx, q, `SELECT t.id, t.type, t.memo, t.created_at FROM ledger_transfers t
		WHERE t.id IN (SELECT p.transfer_id FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.user_id = $1)
		ORDER BY t.id`,
		func(r db.Row, x *transferData) error { return r.Scan(&x.ID, &x.Type, &x.Memo, &x.CreatedAt) }, userID)
	postings, errs[2] = list(ctx, q, `SELECT p.transfer_id, a.kind, p.amount, p.balance_after
		FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.user_id = $1 ORDER BY p.transfer_id, p.id`,
		func(r db.Row, x *postingData) error {
			return r.Scan(&x.of, &x.Account, &x.AmountCents, &x.BalanceAfterCents)
		}, userID)
	f.TopUps, errs[3] = list(ctx, q, `SELECT id, amount_cents, currency, status, mode, credited_cents, refunded_cents, created_at, paid_at
		FROM topups WHERE user_id = $1 ORDER BY id`,
		func(r db.Row, x *topUpData) error {
			return r.Scan(&x.ID, &x.AmountCents, &x.Currency, &x.Status, &x.Mode, &x.CreditedCents, &x.RefundedCents, &x.CreatedAt, &x.PaidAt)
		}, userID)
	f.Refunds, errs[4] = list(ctx, q, `SELECT id, kind, topup_id, amount_cents, reason, status, failure, created_at, updated_at
		FROM refunds WHERE user_id = $1 ORDER BY id`,
		func(r db.Row, x *refundData) error {
			return r.Scan(&x.ID, &x.Kind, &x.TopUpID, &x.AmountCents, &x.Reason, &x.Status, &x.Failure, &x.CreatedAt, &x.UpdatedAt)
		}, userID)
	f.Disputes, errs[5] = list(ctx, q, `SELECT id, topup_id, amount_cents, held_cents, status, created_at, updated_at
		FROM disputes WHERE user_id = $1 ORDER BY created_at, id`,
		func(r db.Row, x *disputeData) error {
			return r.Scan(&x.ID, &x.TopUpID, &x.AmountCents, &x.HeldCents, &x.Status, &x.CreatedAt, &x.UpdatedAt)
		}, userID)
	f.AdjustmentRequests, errs[6] = list(ctx, q, `SELECT id, amount_cents, reason, status, created_at, decided_at
		FROM adjustment_requests WHERE requested_by = $1 ORDER BY id`,
		func(r db.Row, x *adjustmentData) error {
			return r.Scan(&x.ID, &x.AmountCents, &x.Reason, &x.Status, &x.CreatedAt, &x.DecidedAt)
		}, userID)
	f.AutoReloads, errs[7] = list(ctx, q, `SELECT topup_id, created_at FROM auto_reload_attempts WHERE user_id = $1 ORDER BY id`,
		func(r db.Row, x *reloadData) error { return r.Scan(&x.TopUpID, &x.CreatedAt) }, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	byTransfer := groupBy(postings, func(p postingData) int64 { return p.of })
	for i := range f.Transfers {
		f.Transfers[i].Postings = orEmpty(byTransfer[f.Transfers[i].ID])
	}
	return f, nil
}
