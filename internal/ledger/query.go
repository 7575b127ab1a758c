package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Balance returns the balance of account r in cents: 0 for an account that
// does not exist yet. Inside a transaction that has posted to r it includes
// those postings.
func (l *Ledger) Balance(ctx context.Context, q db.Querier, r Ref) (int64, error) {
	if why := r.valid(); why != "" {
		return 0, apperr.Errorf(apperr.Invalid, "ledger: %s", why)
	}
	var b int64
	err := q.QueryRowContext(ctx, `SELECT balance FROM ledger_accounts WHERE kind = $1 AND user_id = $2`,
		string(r.Kind), r.UserID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("ledger: balance of %s: %w", r, err)
	}
	return b, nil
}

// Entry is one posting seen from its account: Amount is signed (positive
// money in), BalanceAfter the account's balance right after it (WAL-2).
type Entry struct {
	TransferID, PostingID int64
	Type                  EntryType
	Amount                int64
	BalanceAfter          int64
	CauseType, CauseID    string
	StripeEventID         string
	Memo                  string
	Key                   string
	CreatedAt             time.Time
}

// EntryFilter narrows Entries. Zero fields match everything.
type EntryFilter struct {
	Types    []EntryType
	From, To time.Time // From inclusive, To exclusive
	BeforeID int64     // posting id cursor for paging, newest first: only entries with a smaller PostingID
	Limit    int       // default 50, at most 1000
}

// Entries returns account r's entries, newest first; none for an account
// that does not exist yet. Page with BeforeID = the last entry's PostingID.
func (l *Ledger) Entries(ctx context.Context, r Ref, f EntryFilter) ([]Entry, error) {
	if why := r.valid(); why != "" {
		return nil, apperr.Errorf(apperr.Invalid, "ledger: %s", why)
	}
	args := []any{string(r.Kind), r.UserID}
	where := []string{"p.account_id = (SELECT id FROM ledger_accounts WHERE kind = $1 AND user_id = $2)"}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if len(f.Types) > 0 {
		ps := make([]string, len(f.Types))
		for i, t := range f.Types {
			args = append(args, string(t))
			ps[i] = fmt.Sprintf("$%d", len(args))
		}
		where = append(where, "t.type IN ("+strings.Join(ps, ", ")+")")
	}
	if !f.From.IsZero() {
		add("p.created_at >= $%d", db.Millis(f.From))
	}
	if !f.To.IsZero() {
		add("p.created_at < $%d", db.Millis(f.To))
	}
	if f.BeforeID > 0 {
		add("p.id < $%d", f.BeforeID)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rs, err := l.DB.Read().QueryContext(ctx, `SELECT p.transfer_id, p.id, t.type, p.amount, p.balance_after,
		t.cause_type, t.cause_id, t.stripe_event_id, t.memo, t.idempotency_key, p.created_at
		FROM ledger_postings p JOIN ledger_transfers t ON t.id = p.transfer_id
		WHERE `+strings.Join(where, " AND ")+fmt.Sprintf(" ORDER BY p.id DESC LIMIT %d", min(f.Limit, 1000)), args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: entries of %s: %w", r, err)
	}
	var out []Entry
	err = scanAll(rs, func() error {
		var e Entry
		var at int64
		if err := rs.Scan(&e.TransferID, &e.PostingID, &e.Type, &e.Amount, &e.BalanceAfter,
			&e.CauseType, &e.CauseID, &e.StripeEventID, &e.Memo, &e.Key, &at); err != nil {
			return err
		}
		e.CreatedAt = db.Time(at)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: entries of %s: %w", r, err)
	}
	return out, nil
}

// TransferInfo is a posted transfer with its postings in the order given.
type TransferInfo struct {
	ID            int64
	Key           string
	Type          EntryType
	CauseType     string
	CauseID       string
	StripeEventID string
	Memo          string
	ActorID       int64
	CreatedAt     time.Time
	Postings      []Posting
}

const transferColumns = `id, idempotency_key, type, cause_type, cause_id, stripe_event_id, memo, actor_id, created_at`

// TransferByKey returns the transfer posted under key, or an apperr.NotFound
// error when none was.
func (l *Ledger) TransferByKey(ctx context.Context, q db.Querier, key string) (TransferInfo, error) {
	ts, err := transfers(ctx, q, `idempotency_key = $1`, key)
	if err != nil {
		return TransferInfo{}, err
	}
	if len(ts) == 0 {
		return TransferInfo{}, apperr.Errorf(apperr.NotFound, "No transfer has the key %q.", key)
	}
	return ts[0], nil
}

// TransfersByCause returns the transfers caused by one object (e.g. cause
// "reading", id "42"), oldest first — what a refund of that object reverses.
func (l *Ledger) TransfersByCause(ctx context.Context, q db.Querier, causeType, causeID string) ([]TransferInfo, error) {
	return transfers(ctx, q, `cause_type = $1 AND cause_id = $2`, causeType, causeID)
}

// transfers reads the transfers matching where, with their postings.
func transfers(ctx context.Context, q db.Querier, where string, args ...any) ([]TransferInfo, error) {
	rs, err := q.QueryContext(ctx, `SELECT `+transferColumns+` FROM ledger_transfers WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: read transfers: %w", err)
	}
	var out []TransferInfo
	byID := map[int64]int{}
	err = scanAll(rs, func() error {
		var t TransferInfo
		var at int64
		if err := rs.Scan(&t.ID, &t.Key, &t.Type, &t.CauseType, &t.CauseID, &t.StripeEventID, &t.Memo, &t.ActorID, &at); err != nil {
			return err
		}
		t.CreatedAt = db.Time(at)
		byID[t.ID] = len(out)
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: read transfers: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	rs, err = q.QueryContext(ctx, `SELECT p.transfer_id, a.kind, a.user_id, p.amount
		FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
		WHERE p.transfer_id IN (SELECT id FROM ledger_transfers WHERE `+where+`) ORDER BY p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: read postings: %w", err)
	}
	err = scanAll(rs, func() error {
		var id int64
		var p Posting
		if err := rs.Scan(&id, &p.Account.Kind, &p.Account.UserID, &p.Amount); err != nil {
			return err
		}
		if i, ok := byID[id]; ok {
			out[i].Postings = append(out[i].Postings, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: read postings: %w", err)
	}
	return out, nil
}
