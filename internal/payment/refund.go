package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Refund kinds (WAL-7).
const (
	RefundCard   = "card"   // money goes back to the card that paid a top-up
	RefundWallet = "wallet" // a wallet charge (reading, booking, order, …) goes back to the wallet
)

// Refund statuses.
const (
	RefundPending   = "pending" // the wallet is debited; Stripe has not confirmed yet
	RefundSucceeded = "succeeded"
	RefundFailed    = "failed" // Stripe refused (or an admin found it never arrived); the wallet debit was reversed
	RefundReview    = "review" // Stripe neither confirmed nor refused: the money may be on the card, so an admin decides
)

// Refund is one refund an admin made.
type Refund struct {
	ID                 int64
	Kind               string
	UserID             int64
	UserName           string
	TopUpID            int64
	OriginalTransferID int64
	AmountCents        int64
	Reason             string
	Status             string
	StripeRefundID     string
	Failure            string
	AdminID            int64
	CreatedAt          time.Time
}

// RefundInput asks for a refund. Key makes a retried request (a double
// click, a network retry) create the refund once.
type RefundInput struct {
	Kind        string
	TopUpID     int64 // card refunds
	TransferID  int64 // wallet refunds: the charge being refunded
	AmountCents int64 // 0 means everything still refundable
	Reason      string
	Key         string
}

// MaxReasonLen bounds refund and adjustment reasons.
const MaxReasonLen = 500

func checkReason(fields map[string]string, reason string) string {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		fields["reason"] = "Give a reason; it is kept in the audit log."
	case n > MaxReasonLen:
		fields["reason"] = fmt.Sprintf("Use at most %d characters.", MaxReasonLen)
	}
	return reason
}

// RefundMoney refunds a top-up to its card or a wallet charge to the wallet.
// The ledger entry, the refund record and the audit record are written in
// one transaction (WAL-7, SEC-4); a card refund is then sent to Stripe by a
// job (CardRefundWorker), which reverses the wallet debit only if Stripe
// definitely refuses.
func (s *Service) RefundMoney(ctx context.Context, admin account.User, in RefundInput) (Refund, error) {
	if admin.Role != account.RoleAdmin {
		return Refund{}, apperr.Errorf(apperr.Forbidden, "Only admins can refund.")
	}
	fields := map[string]string{}
	in.Reason = checkReason(fields, in.Reason)
	if in.AmountCents < 0 || in.AmountCents > ledger.MaxAmount {
		fields["amount_cents"] = "Enter a positive amount in cents, or leave it out to refund everything refundable."
	}
	switch in.Kind {
	case RefundCard:
		if in.TopUpID <= 0 {
			fields["topup_id"] = "Choose the top-up to refund."
		}
	case RefundWallet:
		if in.TransferID <= 0 {
			fields["transfer_id"] = "Choose the wallet charge to refund."
		}
	default:
		fields["kind"] = `Use "card" or "wallet".`
	}
	if len(in.Key) > 100 {
		fields["idempotency_key"] = "Use at most 100 characters."
	}
	if err := apperr.Validation(fields); err != nil {
		return Refund{}, err
	}
	if in.Key == "" {
		in.Key = NewKey()
	}
	key := fmt.Sprintf("%d:%s", admin.ID, in.Key)
	var id int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT id FROM refunds WHERE idempotency_key = $1`, key).Scan(&id); err == nil {
			return nil // already made by an earlier identical request
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var err error
		if in.Kind == RefundCard {
			id, err = s.refundCard(ctx, tx, admin, in, key)
		} else {
			id, err = s.refundWallet(ctx, tx, admin, in, key)
		}
		return err
	})
	if err != nil {
		return Refund{}, err
	}
	return s.Refund(ctx, id)
}

func (s *Service) insertRefund(ctx context.Context, tx *db.Tx, r Refund, key string) (int64, error) {
	now := db.Millis(s.Clock.Now())
	var topup, orig, admin any
	if r.TopUpID != 0 {
		topup = r.TopUpID
	}
	if r.OriginalTransferID != 0 {
		orig = r.OriginalTransferID
	}
	if r.AdminID != 0 {
		admin = r.AdminID
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO refunds (idempotency_key, kind, user_id, topup_id, original_transfer_id, amount_cents,
		reason, status, admin_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		key, r.Kind, r.UserID, topup, orig, r.AmountCents, r.Reason, r.Status, admin, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("payment: record refund: %w", err)
	}
	return id, nil
}

// refundCard debits the wallet now — no more than the wallet still holds of
// the top-up — and queues the Stripe refund, for an admin or for the
// wallet's owner closing their account.
func (s *Service) refundCard(ctx context.Context, tx *db.Tx, by account.User, in RefundInput, key string) (int64, error) {
	t, err := getTopUp(ctx, tx, "id = $1", s.DB.ForUpdate(), in.TopUpID)
	if err != nil {
		return 0, err
	}
	if t.Status != TopUpPaid || t.PaymentIntentID == "" {
		return 0, apperr.Validation(map[string]string{"topup_id": "Only a paid top-up can be refunded to the card."})
	}
	bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(t.UserID))
	if err != nil {
		return 0, err
	}
	most := min(t.Refundable(), bal)
	amount := in.AmountCents
	if amount == 0 {
		amount = most
	}
	if amount <= 0 || amount > most {
		return 0, apperr.Validation(map[string]string{"amount_cents": fmt.Sprintf(
			"At most %s of this top-up can go back to the card (refundable %s; the wallet holds %s).",
			ledger.FormatCents(most), ledger.FormatCents(t.Refundable()), ledger.FormatCents(bal))})
	}
	var adminID int64
	if by.Role == account.RoleAdmin {
		adminID = by.ID
	}
	id, err := s.insertRefund(ctx, tx, Refund{Kind: RefundCard, UserID: t.UserID, TopUpID: t.ID, AmountCents: amount,
		Reason: in.Reason, Status: RefundPending, AdminID: adminID}, key)
	if err != nil {
		return 0, err
	}
	rid := strconv.FormatInt(id, 10)
	if _, err := s.Ledger.Post(ctx, tx, ledger.Transfer{
		Key: "refund:" + rid, Type: ledger.TypeRefund,
		Postings:  []ledger.Posting{{Account: ledger.Wallet(t.UserID), Amount: -amount}, {Account: ledger.StripeClearing(), Amount: amount}},
		CauseType: "refund", CauseID: rid, Memo: "Refund to card: " + in.Reason, ActorID: by.ID,
	}); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE topups SET refunded_cents = refunded_cents + $1 WHERE id = $2`, amount, t.ID); err != nil {
		return 0, err
	}
	if err := audit.Record(ctx, tx, audit.Entry{ActorID: by.ID, Action: "wallet.refund_card", Model: "refund", ObjectID: rid,
		Details: map[string]any{"topup": t.ID, "user": t.UserID, "amount_cents": amount, "reason": in.Reason}, At: s.Clock.Now()}); err != nil {
		return 0, err
	}
	return id, s.Jobs.InsertTx(ctx, tx, CardRefundArgs{RefundID: id}, nil)
}

// refundWallet gives back (part of) a wallet charge an admin chose.
func (s *Service) refundWallet(ctx context.Context, tx *db.Tx, admin account.User, in RefundInput, key string) (int64, error) {
	orig, err := s.Ledger.TransferByID(ctx, tx, in.TransferID)
	if err != nil {
		return 0, err
	}
	id, _, err := s.refundTransfer(ctx, tx, admin.ID, orig, in.AmountCents, in.Reason, key)
	return id, err
}

// RefundCause returns to the client's wallet whatever is still refundable of
// every charge one object caused (e.g. cause "reading", id "42"), inside tx,
// and reports how much. key makes it happen once; actorID is 0 when the
// platform itself refunds (an automatic credit).
func (s *Service) RefundCause(ctx context.Context, tx *db.Tx, actorID int64, causeType, causeID, reason, key string) (int64, error) {
	ts, err := s.Ledger.TransfersByCause(ctx, tx, causeType, causeID)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, t := range ts {
		if t.Type == ledger.TypeRefund || t.Type == ledger.TypeAdjustment {
			continue
		}
		tkey := fmt.Sprintf("%s:%d", key, t.ID)
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM refunds WHERE idempotency_key = $1`, tkey).Scan(&exists); err != nil {
			return 0, err
		}
		if exists > 0 {
			continue
		}
		_, amount, err := s.refundTransfer(ctx, tx, actorID, t, 0, reason, tkey)
		if apperr.CodeOf(err) == apperr.Invalid {
			continue // nothing left to refund of this charge
		}
		if err != nil {
			return 0, err
		}
		total += amount
	}
	return total, nil
}

// refundTransfer gives back amount (0: all that is left) of one wallet
// charge, taking it back from the accounts the charge credited in proportion
// — the reader's share from their earnings as far as they still hold it, the
// rest from platform revenue — with a refund record and an audit record.
func (s *Service) refundTransfer(ctx context.Context, tx *db.Tx, actorID int64, orig ledger.TransferInfo, amount int64, reason, key string) (int64, int64, error) {
	var client int64
	var charged int64
	for _, p := range orig.Postings {
		if p.Account.Kind == ledger.KindWallet && p.Amount < 0 {
			client, charged = p.Account.UserID, -p.Amount
		}
	}
	if client == 0 || orig.Type == ledger.TypeRefund || orig.Type == ledger.TypeAdjustment {
		return 0, 0, apperr.Validation(map[string]string{"transfer_id": "Only a charge to a client's wallet can be refunded to the wallet."})
	}
	var already int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(sum(amount_cents), 0) FROM refunds WHERE original_transfer_id = $1 AND `+refundTookMoney,
		orig.ID).Scan(&already); err != nil {
		return 0, 0, err
	}
	most := charged - already
	if amount == 0 {
		amount = most
	}
	if amount <= 0 || amount > most {
		return 0, 0, apperr.Validation(map[string]string{"amount_cents": fmt.Sprintf("At most %s of this charge is left to refund.", ledger.FormatCents(most))})
	}
	postings, err := s.reversal(ctx, tx, orig, client, charged, amount)
	if err != nil {
		return 0, 0, err
	}
	id, err := s.insertRefund(ctx, tx, Refund{Kind: RefundWallet, UserID: client, OriginalTransferID: orig.ID, AmountCents: amount,
		Reason: reason, Status: RefundSucceeded, AdminID: actorID}, key)
	if err != nil {
		return 0, 0, err
	}
	rid := strconv.FormatInt(id, 10)
	if _, err := s.Ledger.Post(ctx, tx, ledger.Transfer{Key: "refund:" + rid, Type: ledger.TypeRefund, Postings: postings,
		CauseType: "refund", CauseID: rid, Memo: "Refund to wallet: " + reason, ActorID: actorID}); err != nil {
		return 0, 0, err
	}
	return id, amount, audit.Record(ctx, tx, audit.Entry{ActorID: actorID, Action: "wallet.refund_wallet", Model: "refund", ObjectID: rid,
		Details: map[string]any{"transfer": orig.ID, "user": client, "amount_cents": amount, "reason": reason}, At: s.Clock.Now()})
}

// refundTookMoney is the condition on refunds that gave back part of a
// charge: every one that did not fail.
const refundTookMoney = `status <> 'failed'`

// RefundedCharges returns how much of each wallet charge of the user has
// been refunded to the wallet, by the charge's transfer id; a charge not in
// the map has had nothing back.
func (s *Service) RefundedCharges(ctx context.Context, userID int64) (map[int64]int64, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT original_transfer_id, sum(amount_cents) FROM refunds
		WHERE user_id = $1 AND original_transfer_id IS NOT NULL AND `+refundTookMoney+` GROUP BY original_transfer_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("payment: refunded charges: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, cents int64
		if err := rows.Scan(&id, &cents); err != nil {
			return nil, fmt.Errorf("payment: refunded charges: %w", err)
		}
		out[id] = cents
	}
	return out, rows.Err()
}

// reversal builds the postings that return amount of a charge to the client.
func (s *Service) reversal(ctx context.Context, tx *db.Tx, orig ledger.TransferInfo, client, charged, amount int64) ([]ledger.Posting, error) {
	postings := []ledger.Posting{{Account: ledger.Wallet(client), Amount: amount}}
	platform := amount
	for _, p := range orig.Postings {
		if p.Account.Kind != ledger.KindEarnings || p.Amount <= 0 {
			continue
		}
		share := amount * p.Amount / charged
		bal, err := s.Ledger.Balance(ctx, tx, p.Account)
		if err != nil {
			return nil, err
		}
		share = min(share, bal)
		if share > 0 {
			postings = append(postings, ledger.Posting{Account: p.Account, Amount: -share})
			platform -= share
		}
	}
	if platform > 0 {
		postings = append(postings, ledger.Posting{Account: ledger.PlatformRevenue(), Amount: -platform})
	}
	return postings, nil
}

const refundColumns = `r.id, r.kind, COALESCE(r.user_id, 0), COALESCE(u.display_name, ''), COALESCE(r.topup_id, 0), COALESCE(r.original_transfer_id, 0),
	r.amount_cents, r.reason, r.status, r.stripe_refund_id, r.failure, COALESCE(r.admin_id, 0), r.created_at`

func scanRefund(row interface{ Scan(...any) error }) (Refund, error) {
	var r Refund
	var created int64
	err := row.Scan(&r.ID, &r.Kind, &r.UserID, &r.UserName, &r.TopUpID, &r.OriginalTransferID, &r.AmountCents, &r.Reason,
		&r.Status, &r.StripeRefundID, &r.Failure, &r.AdminID, &created)
	r.CreatedAt = db.Time(created)
	return r, err
}

// Refund returns one refund.
func (s *Service) Refund(ctx context.Context, id int64) (Refund, error) {
	r, err := scanRefund(s.DB.Read().QueryRowContext(ctx, `SELECT `+refundColumns+` FROM refunds r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Refund{}, apperr.Errorf(apperr.NotFound, "No such refund.")
	}
	if err != nil {
		return Refund{}, fmt.Errorf("payment: get refund: %w", err)
	}
	return r, nil
}

// Refunds lists recent refunds with the status ("" for all), newest first.
func (s *Service) Refunds(ctx context.Context, status string, limit int) ([]Refund, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+refundColumns+` FROM refunds r LEFT JOIN users u ON u.id = r.user_id
		WHERE $1 = '' OR r.status = $1 ORDER BY r.id DESC LIMIT `+strconv.Itoa(limit), status)
	if err != nil {
		return nil, fmt.Errorf("payment: list refunds: %w", err)
	}
	defer rows.Close()
	var out []Refund
	for rows.Next() {
		r, err := scanRefund(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
