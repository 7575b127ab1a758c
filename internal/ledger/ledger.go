// Package ledger is SoulSeer's double-entry ledger, through which all money
// moves (WAL-1, WAL-2, WAL-3, WAL-5). A transfer is a set of postings that sum
// to zero, named by an idempotency key so a job or webhook that runs twice
// moves money once. Each account's balance is the cached sum of its postings,
// changed only here, under a row lock in the same transaction as the postings;
// user accounts (wallets, earnings, holds) never go below zero, which the
// schema checks again as a last line of defence. Verify proves from the
// entries that every balance is right.
package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
)

// BalanceChange tells that a user's account has a new balance after a
// committed transfer; it drives live wallet updates (WAL-6).
type BalanceChange struct {
	UserID  int64
	Kind    AccountKind
	Balance int64
}

// Ledger posts transfers and reads balances and entries. Build it with
// &Ledger{DB: …, Clock: …}; the zero value of the rest is ready to use.
type Ledger struct {
	DB    *db.DB
	Clock clock.Clock
	// OnBalanceChange, when set, is called after commit (never on rollback)
	// once per user account whose balance a committed Post changed, or once
	// per account with its final balance for a PostBatch.
	OnBalanceChange func(BalanceChange)
	// Guard, when set, is asked inside the transaction before the new
	// transfers ts[i], i in idx, move money; each it refuses (refused[i])
	// fails as a transfer that cannot be covered would, its key released.
	// It is how rules above the ledger, such as clients' spending limits
	// (WAL-11), hold for every way money moves. An error fails the batch.
	Guard func(ctx context.Context, tx *db.Tx, ts []Transfer, idx []int) (refused map[int]error, err error)

	ids sync.Map // Ref → account id; an account's id never changes, so it is cached once committed
}

func (l *Ledger) now() time.Time {
	if l.Clock == nil {
		return clock.System{}.Now()
	}
	return l.Clock.Now()
}

// Post moves money inside the caller's transaction; with PostBatch it is the
// only way money moves. A key already posted with the same type and postings
// returns the first transfer's Result with Replayed set and moves nothing;
// with other content it is an apperr.Conflict. A debit an account cannot
// cover is an apperr.InsufficientFunds error, a malformed transfer an
// apperr.Invalid; after either, nothing has changed and the caller may still
// commit. Any other error means tx must be rolled back.
func (l *Ledger) Post(ctx context.Context, tx *db.Tx, t Transfer) (Result, error) {
	results, errs, err := l.post(ctx, tx, []Transfer{t})
	if err != nil {
		return Result{}, err
	}
	if errs[0] != nil {
		return Result{}, fmt.Errorf("ledger: post %s %q: %w", t.Type, t.Key, errs[0])
	}
	return results[0], nil
}

// PostBatch posts ts in order inside the caller's transaction with a fixed
// number of statements per few thousand transfers, for the per-minute billing
// sweep. Each transfer has its own outcome, exactly as if each were posted on
// its own in turn: errs[i] is nil or the *apperr.Error that refused ts[i]
// (insufficient funds, invalid, key reused with other content), and a refused
// transfer does not stop the others. Within one batch a key's first transfer
// decides: a later one with the same content shares its outcome (Replayed
// when it was posted), with other content it is a Conflict. err is a
// database failure, after which tx must be rolled back.
func (l *Ledger) PostBatch(ctx context.Context, tx *db.Tx, ts []Transfer) (results []Result, errs []error, err error) {
	if len(ts) == 0 {
		return nil, nil, nil
	}
	return l.post(ctx, tx, ts)
}

// Transfer runs Post in its own transaction, retried on serialization
// failure or deadlock by db.Tx.
func (l *Ledger) Transfer(ctx context.Context, t Transfer) (Result, error) {
	var r Result
	err := l.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		r, err = l.Post(ctx, tx, t)
		return err
	})
	return r, err
}

// accountIDs returns the id of every account in refs, creating the missing
// ones (get-or-create, safe against concurrent creators). looked lists the
// accounts found or created in the database rather than the cache; created
// those this call inserted.
func (l *Ledger) accountIDs(ctx context.Context, tx *db.Tx, refs []Ref) (ids map[Ref]int64, looked []Ref, created map[Ref]bool, err error) {
	ids = make(map[Ref]int64, len(refs))
	for _, r := range refs {
		if _, ok := ids[r]; ok {
			continue
		}
		if id, ok := l.ids.Load(r); ok {
			ids[r] = id.(int64)
			continue
		}
		ids[r] = 0
		looked = append(looked, r)
	}
	if len(looked) == 0 {
		return ids, nil, nil, nil
	}
	slices.SortFunc(looked, compareRefs)
	if err := findAccounts(ctx, tx, looked, ids); err != nil {
		return nil, nil, nil, err
	}
	created = map[Ref]bool{}
	if err := createAccounts(ctx, tx, missing(looked, ids), ids, created, db.Millis(l.now())); err != nil {
		return nil, nil, nil, err
	}
	// Another transaction created the rest between our two statements.
	if rest := missing(looked, ids); len(rest) > 0 {
		if err := findAccounts(ctx, tx, rest, ids); err != nil {
			return nil, nil, nil, err
		}
		if rest = missing(rest, ids); len(rest) > 0 {
			return nil, nil, nil, fmt.Errorf("ledger: account %s neither exists nor can be created", rest[0])
		}
	}
	return ids, looked, created, nil
}

func compareRefs(a, b Ref) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.UserID, b.UserID))
}

// missing returns the refs whose id is still unknown.
func missing(refs []Ref, ids map[Ref]int64) []Ref {
	var out []Ref
	for _, r := range refs {
		if ids[r] == 0 {
			out = append(out, r)
		}
	}
	return out
}

// refRows returns a VALUES list of n (kind, user_id) rows.
func refRows(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "($%d, CAST($%d AS BIGINT))", 2*i+1, 2*i+2)
	}
	return b.String()
}

// findAccounts fills ids for the refs that exist.
func findAccounts(ctx context.Context, tx *db.Tx, refs []Ref, ids map[Ref]int64) error {
	for _, chunk := range db.Chunks(refs, 2) {
		args := make([]any, 0, 2*len(chunk))
		for _, r := range chunk {
			args = append(args, string(r.Kind), r.UserID)
		}
		rs, err := tx.QueryContext(ctx, `SELECT id, kind, user_id FROM ledger_accounts
			WHERE (kind, user_id) IN (VALUES `+refRows(len(chunk))+`)`, args...)
		if err != nil {
			return fmt.Errorf("ledger: find accounts: %w", err)
		}
		err = scanAll(rs, func() error {
			var id int64
			var r Ref
			if err := rs.Scan(&id, &r.Kind, &r.UserID); err != nil {
				return err
			}
			ids[r] = id
			return nil
		})
		if err != nil {
			return fmt.Errorf("ledger: find accounts: %w", err)
		}
	}
	return nil
}

// createAccounts inserts the accounts refs (sorted, so concurrent creators
// take the unique-key locks in one order) unless another transaction has,
// recording the new ones in ids and created.
func createAccounts(ctx context.Context, tx *db.Tx, refs []Ref, ids map[Ref]int64, created map[Ref]bool, now int64) error {
	const cols = 4
	for _, chunk := range db.Chunks(refs, cols) {
		args := make([]any, 0, cols*len(chunk))
		for _, r := range chunk {
			args = append(args, string(r.Kind), r.UserID, r.Kind.AllowsNegative(), now)
		}
		rs, err := tx.QueryContext(ctx, `INSERT INTO ledger_accounts (kind, user_id, allow_negative, created_at)
			VALUES `+db.Values(len(chunk), cols, false)+`
			ON CONFLICT (kind, user_id) DO NOTHING RETURNING id, kind, user_id`, args...)
		if err != nil {
			return fmt.Errorf("ledger: create accounts: %w", err)
		}
		err = scanAll(rs, func() error {
			var id int64
			var r Ref
			if err := rs.Scan(&id, &r.Kind, &r.UserID); err != nil {
				return err
			}
			ids[r] = id
			created[r] = true
			return nil
		})
		if err != nil {
			return fmt.Errorf("ledger: create accounts: %w", err)
		}
	}
	return nil
}
