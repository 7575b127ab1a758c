package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// AdjustmentRequest is a credit an admin asked for their own wallet, which
// moves money only once another admin approves it (WAL-8, SEC-4).
type AdjustmentRequest struct {
	ID            int64
	RequestedBy   int64 // the admin who asked, whose wallet it credits
	RequesterName string
	AmountCents   int64
	Reason        string
	Status        string // AdjustPending, AdjustApproved or AdjustRejected
	DecidedBy     int64
	DeciderName   string
	DecidedAt     time.Time
	TransferID    int64 // the ledger transfer, once approved
	CreatedAt     time.Time
}

// What another admin can decide about an adjustment request.
const (
	DecisionApprove = "approve"
	DecisionReject  = "reject"
)

const adjustmentRequestColumns = `r.id, r.requested_by, q.display_name, r.amount_cents, r.reason, r.status,
	COALESCE(r.decided_by, 0), COALESCE(d.display_name, ''), COALESCE(r.decided_at, 0), COALESCE(r.transfer_id, 0), r.created_at`

const adjustmentRequestFrom = ` FROM adjustment_requests r JOIN users q ON q.id = r.requested_by LEFT JOIN users d ON d.id = r.decided_by`

func scanAdjustmentRequest(row interface{ Scan(...any) error }) (AdjustmentRequest, error) {
	var r AdjustmentRequest
	var decided, created int64
	err := row.Scan(&r.ID, &r.RequestedBy, &r.RequesterName, &r.AmountCents, &r.Reason, &r.Status,
		&r.DecidedBy, &r.DeciderName, &decided, &r.TransferID, &created)
	if decided != 0 {
		r.DecidedAt = db.Time(decided)
	}
	r.CreatedAt = db.Time(created)
	return r, err
}

// result is what Adjust answers about the request.
func (r AdjustmentRequest) result(replayed bool) AdjustResult {
	return AdjustResult{Status: r.Status, RequestID: r.ID, TransferID: r.TransferID, Replayed: replayed}
}

// requestSelfCredit records a validated credit to the admin's own wallet as
// a pending request, audited, moving no money. The same idempotency key
// again answers the first request, or a Conflict if it asked for something
// else.
func (s *Service) requestSelfCredit(ctx context.Context, admin account.User, in AdjustInput) (AdjustResult, error) {
	var out AdjustResult
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := s.Clock.Now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO adjustment_requests (requested_by, idempotency_key, amount_cents, reason, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (requested_by, idempotency_key) DO NOTHING RETURNING id`,
			admin.ID, in.Key, in.AmountCents, in.Reason, db.Millis(now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			first, err := scanAdjustmentRequest(tx.QueryRowContext(ctx, `SELECT `+adjustmentRequestColumns+adjustmentRequestFrom+`
				WHERE r.requested_by = $1 AND r.idempotency_key = $2`, admin.ID, in.Key))
			if err != nil {
				return err
			}
			if first.AmountCents != in.AmountCents || first.Reason != in.Reason {
				return apperr.Errorf(apperr.Conflict, "This idempotency key was already used for another adjustment.")
			}
			out = first.result(true)
			return nil
		}
		if err != nil {
			return err
		}
		out = AdjustResult{Status: AdjustPending, RequestID: id}
		return audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "wallet.adjust_request", Model: "adjustment_request",
			ObjectID: strconv.FormatInt(id, 10), Details: map[string]any{"user": admin.ID, "amount_cents": in.AmountCents, "reason": in.Reason}, At: now})
	})
	if err != nil {
		return AdjustResult{}, fmt.Errorf("payment: request adjustment: %w", err)
	}
	return out, nil
}

// DecideAdjustment approves or rejects a pending credit an admin asked for
// their own wallet. Only another admin may decide: the requester is
// refused. Approving posts the ledger transfer exactly once, keyed by the
// request, in the same transaction that marks the request approved, so
// double clicks and concurrent approvals move the money once; repeating
// the decision already taken answers the request as it is, and reversing
// it is a Conflict. Each decision is audited (SEC-4).
func (s *Service) DecideAdjustment(ctx context.Context, admin account.User, id int64, decision string) (AdjustmentRequest, error) {
	if admin.Role != account.RoleAdmin {
		return AdjustmentRequest{}, apperr.Errorf(apperr.Forbidden, "Only admins can decide adjustments.")
	}
	want := map[string]string{DecisionApprove: AdjustApproved, DecisionReject: AdjustRejected}[decision]
	if want == "" {
		return AdjustmentRequest{}, apperr.Validation(map[string]string{"decision": `Use "approve" or "reject".`})
	}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var r AdjustmentRequest
		err := tx.QueryRowContext(ctx, `SELECT id, requested_by, amount_cents, reason, status FROM adjustment_requests WHERE id = $1`+s.DB.ForUpdate(), id).
			Scan(&r.ID, &r.RequestedBy, &r.AmountCents, &r.Reason, &r.Status)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return apperr.Errorf(apperr.NotFound, "No such adjustment request.")
		case err != nil:
			return err
		case r.RequestedBy == admin.ID:
			return apperr.Errorf(apperr.Forbidden, "Another admin must decide about a credit to your own wallet.")
		case r.Status == want:
			return nil
		case r.Status != AdjustPending:
			return apperr.Errorf(apperr.Conflict, "Adjustment request %d is already %s.", r.ID, r.Status)
		}
		now := s.Clock.Now()
		var transferID any
		if want == AdjustApproved {
			res, err := s.Ledger.Post(ctx, tx, ledger.Transfer{
				Key:  fmt.Sprintf("adjustment_request:%d", r.ID),
				Type: ledger.TypeAdjustment,
				Postings: []ledger.Posting{
					{Account: ledger.Wallet(r.RequestedBy), Amount: r.AmountCents},
					{Account: ledger.Adjustments(), Amount: -r.AmountCents},
				},
				CauseType: "adjustment_request", CauseID: strconv.FormatInt(r.ID, 10), Memo: r.Reason, ActorID: admin.ID,
			})
			if err != nil {
				return err
			}
			transferID = res.TransferID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE adjustment_requests SET status = $1, decided_by = $2, decided_at = $3, transfer_id = $4
			WHERE id = $5 AND status = 'pending'`, want, admin.ID, db.Millis(now), transferID, r.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "wallet.adjust_" + decision, Model: "adjustment_request",
			ObjectID: strconv.FormatInt(r.ID, 10), At: now,
			Details: map[string]any{"user": r.RequestedBy, "amount_cents": r.AmountCents, "reason": r.Reason, "transfer": transferID}})
	})
	if err != nil {
		return AdjustmentRequest{}, err
	}
	return s.AdjustmentRequest(ctx, id)
}

// AdjustmentRequest returns one adjustment request.
func (s *Service) AdjustmentRequest(ctx context.Context, id int64) (AdjustmentRequest, error) {
	r, err := scanAdjustmentRequest(s.DB.Read().QueryRowContext(ctx, `SELECT `+adjustmentRequestColumns+adjustmentRequestFrom+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return AdjustmentRequest{}, apperr.Errorf(apperr.NotFound, "No such adjustment request.")
	}
	if err != nil {
		return AdjustmentRequest{}, fmt.Errorf("payment: get adjustment request: %w", err)
	}
	return r, nil
}

// AdjustmentRequests lists adjustment requests with the status ("" for
// all), newest first, for the admins who decide them.
func (s *Service) AdjustmentRequests(ctx context.Context, status string, limit int) ([]AdjustmentRequest, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+adjustmentRequestColumns+adjustmentRequestFrom+`
		WHERE $1 = '' OR r.status = $1 ORDER BY r.id DESC LIMIT `+strconv.Itoa(limit), status)
	if err != nil {
		return nil, fmt.Errorf("payment: list adjustment requests: %w", err)
	}
	defer rows.Close()
	var out []AdjustmentRequest
	for rows.Next() {
		r, err := scanAdjustmentRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("payment: list adjustment requests: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
