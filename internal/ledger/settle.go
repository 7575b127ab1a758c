package ledger

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// settlement moves the balances for the claimed transfers of one post call
// and records what it did.
type settlement struct {
	ts      []Transfer
	posting []int // the claimed transfers, in order
	ids     map[Ref]int64
	results []Result
	errs    []error

	rows     []postingRow  // postings to write, in the order applied
	touched  []Ref         // accounts whose balance changed, in the order first touched
	balance  map[Ref]int64 // their balance after this call
	released []int64       // claimed transfer rows of refused transfers
}

// refuse records that ts[i] moves nothing, for reason err.
func (s *settlement) refuse(i int, err error) {
	s.errs[i] = err
	s.released = append(s.released, s.results[i].TransferID)
	s.results[i] = Result{}
}

// posted records that ts[i] moved its accounts to the balances after.
func (s *settlement) posted(i int, after []int64) {
	for k, p := range s.ts[i].Postings {
		if _, seen := s.balance[p.Account]; !seen {
			s.touched = append(s.touched, p.Account)
		}
		s.balance[p.Account] = after[k]
		s.rows = append(s.rows, postingRow{s.results[i].TransferID, s.ids[p.Account], p.Amount, after[k]})
	}
}

// sharesAccounts reports whether an account appears in more than one of
// ts[posting], so each transfer's outcome depends on those before it.
func sharesAccounts(ts []Transfer, posting []int) bool {
	seen := map[Ref]bool{}
	for _, i := range posting {
		for _, p := range ts[i].Postings {
			if seen[p.Account] {
				return true
			}
			seen[p.Account] = true
		}
	}
	return false
}

// applyAll returns the balances after ts[i]'s postings given balanceOf, or
// the error refusing it.
func applyAll(ps []Posting, balanceOf func(Ref) int64) ([]int64, error) {
	after := make([]int64, len(ps))
	for k, p := range ps {
		var err error
		if after[k], err = apply(p, balanceOf(p.Account)); err != nil {
			return nil, err
		}
	}
	return after, nil
}

// move is a change of one account's balance.
type move struct{ id, amount int64 }

// applyInPlace settles transfers that share no account — every Post, and
// most billing batches — in one statement per chunk: it locks the accounts
// in id order and moves each by its amount unless that would break the
// account's bounds, returning the new balances. A transfer with an account
// left unmoved is refused and its other moves undone.
func (s *settlement) applyInPlace(ctx context.Context, tx *db.Tx, forUpdate string) error {
	var moves []move
	for _, i := range s.posting {
		for _, p := range s.ts[i].Postings {
			moves = append(moves, move{s.ids[p.Account], p.Amount})
		}
	}
	after, err := moveBalances(ctx, tx, moves, forUpdate)
	if err != nil {
		return err
	}
	var failed []int
	var undo []move
	var check []int64
	for _, i := range s.posting {
		ps := s.ts[i].Postings
		bs := make([]int64, len(ps))
		whole := true
		for k, p := range ps {
			var ok bool
			bs[k], ok = after[s.ids[p.Account]]
			whole = whole && ok
		}
		if whole {
			s.posted(i, bs)
			continue
		}
		failed = append(failed, i)
		for _, p := range ps {
			if _, ok := after[s.ids[p.Account]]; ok {
				undo = append(undo, move{s.ids[p.Account], -p.Amount})
			}
			check = append(check, s.ids[p.Account])
		}
	}
	if len(failed) == 0 {
		return nil
	}
	if err := addToBalances(ctx, tx, undo); err != nil {
		return err
	}
	slices.Sort(check)
	balances, err := lock(ctx, tx, check, forUpdate)
	if err != nil {
		return err
	}
	for _, i := range failed {
		_, err := applyAll(s.ts[i].Postings, func(r Ref) int64 { return balances[s.ids[r]] })
		if apperr.As(err) == nil {
			return fmt.Errorf("ledger: transfer %q was refused by the database but fits its accounts' bounds", s.ts[i].Key)
		}
		s.refuse(i, err)
	}
	return nil
}

// lockAndApply settles transfers some of which share an account: it locks
// every account in id order, applies the transfers one after another in
// memory, each against the balances the ones before it left, and writes
// the resulting balances.
func (s *settlement) lockAndApply(ctx context.Context, tx *db.Tx, forUpdate string) error {
	balances, err := lock(ctx, tx, slices.Sorted(maps.Values(s.ids)), forUpdate)
	if err != nil {
		return err
	}
	initial := maps.Clone(balances)
	for _, i := range s.posting {
		after, err := applyAll(s.ts[i].Postings, func(r Ref) int64 { return balances[s.ids[r]] })
		if err != nil {
			s.refuse(i, err)
			continue
		}
		for k, p := range s.ts[i].Postings {
			balances[s.ids[p.Account]] = after[k]
		}
		s.posted(i, after)
	}
	moves := make([]move, 0, len(s.touched))
	for _, r := range s.touched {
		id := s.ids[r]
		if d := balances[id] - initial[id]; d != 0 {
			moves = append(moves, move{id, d})
		}
	}
	return addToBalances(ctx, tx, moves)
}

// minBalance and maxBalance bound every balance, so that no sum of a
// balance and an amount can overflow 64 bits; the schema checks them too.
// User accounts have the narrower range 0 to MaxAmount.
const (
	minBalance = -9_000_000_000_000_000_000
	maxBalance = -minBalance
)

// moveBalances adds each move's amount to its account unless the result
// would break the account's bounds, locking the accounts in id order
// first, and returns the new balance of every account it moved. Each
// account appears in moves at most once.
func moveBalances(ctx context.Context, tx *db.Tx, moves []move, forUpdate string) (map[int64]int64, error) {
	slices.SortFunc(moves, func(a, b move) int { return cmp.Compare(a.id, b.id) })
	after := make(map[int64]int64, len(moves))
	const cols = 2
	for _, chunk := range db.Chunks(moves, cols) {
		args := make([]any, 0, len(chunk)*cols)
		for _, m := range chunk {
			args = append(args, m.id, m.amount)
		}
		ids := make([]string, len(chunk))
		for k := range chunk {
			ids[k] = fmt.Sprintf("$%d", 2*k+1)
		}
		// The IN subquery takes the row locks in id order before the
		// update touches any row, so concurrent transfers never deadlock.
		rs, err := tx.QueryContext(ctx, fmt.Sprintf(`UPDATE ledger_accounts SET balance = ledger_accounts.balance + v.column2
			FROM (VALUES %s) AS v
			WHERE ledger_accounts.id = v.column1
			  AND ledger_accounts.id IN (SELECT id FROM ledger_accounts WHERE id IN (%s) ORDER BY id%s)
			  AND (ledger_accounts.allow_negative OR ledger_accounts.balance + v.column2 BETWEEN 0 AND %d)
			  AND ledger_accounts.balance + v.column2 BETWEEN %d AND %d
			RETURNING ledger_accounts.id, ledger_accounts.balance`,
			db.Values(len(chunk), cols, true), strings.Join(ids, ", "), forUpdate, MaxAmount, minBalance, maxBalance), args...)
		if err != nil {
			return nil, fmt.Errorf("ledger: move balances: %w", err)
		}
		err = scanAll(rs, func() error {
			var id, b int64
			if err := rs.Scan(&id, &b); err != nil {
				return err
			}
			after[id] = b
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ledger: move balances: %w", err)
		}
	}
	return after, nil
}

// addToBalances adds each move's amount to its account, whose row lock this
// transaction already holds and whose bounds the caller has checked.
func addToBalances(ctx context.Context, tx *db.Tx, moves []move) error {
	const cols = 2
	for _, chunk := range db.Chunks(moves, cols) {
		args := make([]any, 0, len(chunk)*cols)
		for _, m := range chunk {
			args = append(args, m.id, m.amount)
		}
		_, err := tx.ExecContext(ctx, `UPDATE ledger_accounts SET balance = ledger_accounts.balance + v.column2
			FROM (VALUES `+db.Values(len(chunk), cols, true)+`) AS v
			WHERE ledger_accounts.id = v.column1`, args...)
		if err != nil {
			return fmt.Errorf("ledger: write balances: %w", err)
		}
	}
	return nil
}

// lock takes the row locks of the accounts ids (ascending), in that order so
// that concurrent transfers never deadlock on each other, and returns their
// balances.
func lock(ctx context.Context, tx *db.Tx, ids []int64, forUpdate string) (map[int64]int64, error) {
	ids = slices.Compact(ids)
	balances := make(map[int64]int64, len(ids))
	for _, chunk := range db.Chunks(ids, 1) {
		args := make([]any, len(chunk))
		for k, id := range chunk {
			args[k] = id
		}
		rs, err := tx.QueryContext(ctx, `SELECT id, balance FROM ledger_accounts
			WHERE id IN (`+db.Params(len(chunk))+`) ORDER BY id`+forUpdate, args...)
		if err != nil {
			return nil, fmt.Errorf("ledger: lock accounts: %w", err)
		}
		err = scanAll(rs, func() error {
			var id, b int64
			if err := rs.Scan(&id, &b); err != nil {
				return err
			}
			balances[id] = b
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ledger: lock accounts: %w", err)
		}
	}
	if len(balances) != len(ids) {
		return nil, fmt.Errorf("ledger: lock accounts: %d of %d accounts found", len(balances), len(ids))
	}
	return balances, nil
}
