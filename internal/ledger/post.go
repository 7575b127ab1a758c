package ledger

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// post is the one function through which money moves. It posts ts in order
// inside tx with a fixed number of statements per chunk of transfers, never
// one per transfer:
//
//  1. validate each transfer (no database);
//  2. claim each key: INSERT … ON CONFLICT (idempotency_key) DO NOTHING, in
//     key order so two batches never wait on each other's keys in a cycle;
//     a key already taken is a replay (same fingerprint) or a Conflict;
//  3. find or create the accounts (ids cached after commit);
//  4. move the balances (settle.go), taking the accounts' row locks in id
//     order (FOR UPDATE on PostgreSQL; SQLite's single writer already
//     serialises): a transfer an account cannot cover is refused on its own
//     and its claimed key released;
//  5. write the postings, each with its account's balance_after.
//
// Refused transfers leave nothing behind — not even the accounts that were
// created for them — so a caller may carry on and commit after a refusal.
// errs[i] is the outcome of ts[i]; err is a database failure, after which
// the transaction must be rolled back.
func (l *Ledger) post(ctx context.Context, tx *db.Tx, ts []Transfer) (results []Result, errs []error, err error) {
	now := db.Millis(l.now())
	results = make([]Result, len(ts))
	errs = make([]error, len(ts))
	fps := make([]string, len(ts))
	first := make(map[string]int, len(ts)) // key → index of its first valid transfer
	var fresh []int                        // the first valid transfer of each key
	for i, t := range ts {
		if errs[i] = validate(t); errs[i] != nil {
			continue
		}
		fps[i] = fingerprint(t)
		if _, dup := first[t.Key]; !dup {
			first[t.Key] = i
			fresh = append(fresh, i)
		}
	}

	claimed, err := claim(ctx, tx, ts, fps, fresh, now)
	if err != nil {
		return nil, nil, err
	}
	var posting, taken []int
	for _, i := range fresh {
		if id, ok := claimed[ts[i].Key]; ok {
			results[i] = Result{TransferID: id, CreatedAt: db.Time(now)}
			posting = append(posting, i)
		} else {
			taken = append(taken, i)
		}
	}
	if err := replay(ctx, tx, ts, fps, taken, results, errs); err != nil {
		return nil, nil, err
	}
	posting, guarded, err := l.guard(ctx, tx, ts, posting, results, errs)
	if err != nil {
		return nil, nil, err
	}

	var refs []Ref
	for _, i := range posting {
		for _, p := range ts[i].Postings {
			refs = append(refs, p.Account)
		}
	}
	ids, looked, created, err := l.accountIDs(ctx, tx, refs)
	if err != nil {
		return nil, nil, err
	}
	st := settlement{ts: ts, posting: posting, ids: ids, results: results, errs: errs, balance: map[Ref]int64{}}
	if sharesAccounts(ts, posting) {
		err = st.lockAndApply(ctx, tx, l.DB.ForUpdate())
	} else {
		err = st.applyInPlace(ctx, tx, l.DB.ForUpdate())
	}
	if err != nil {
		return nil, nil, err
	}
	var unused []int64 // accounts created here for refused transfers only
	for r := range created {
		if _, used := st.balance[r]; !used {
			unused = append(unused, ids[r])
			delete(ids, r)
		}
	}
	released := append(st.released, guarded...)
	postings := st.rows
	if err := deleteByID(ctx, tx, "ledger_transfers", released); err != nil {
		return nil, nil, err
	}
	if err := deleteByID(ctx, tx, "ledger_accounts", unused); err != nil {
		return nil, nil, err
	}
	if err := insertPostings(ctx, tx, postings, now); err != nil {
		return nil, nil, err
	}

	// Later transfers with a key seen earlier in ts share its outcome.
	for i, t := range ts {
		j, ok := first[t.Key]
		if errs[i] != nil || !ok || j == i {
			continue
		}
		switch {
		case fps[i] != fps[j]:
			errs[i] = conflict(t.Key)
		case errs[j] != nil:
			errs[i] = errs[j]
		default:
			results[i] = Result{TransferID: results[j].TransferID, Replayed: true, CreatedAt: results[j].CreatedAt}
		}
	}

	cache := make(map[Ref]int64, len(looked))
	for _, r := range looked {
		if id, ok := ids[r]; ok {
			cache[r] = id
		}
	}
	if len(cache) > 0 {
		tx.OnCommit(func() {
			for r, id := range cache {
				l.ids.Store(r, id)
			}
		})
	}
	if notify := l.OnBalanceChange; notify != nil {
		var changes []BalanceChange
		for _, r := range st.touched {
			if r.UserID != 0 {
				changes = append(changes, BalanceChange{UserID: r.UserID, Kind: r.Kind, Balance: st.balance[r]})
			}
		}
		if len(changes) > 0 {
			tx.OnCommit(func() {
				for _, c := range changes {
					notify(c)
				}
			})
		}
	}
	return results, errs, nil
}

// guard asks l.Guard about the transfers about to post and takes out
// those it refuses, returning the ones left and the ids of the keys to
// release.
func (l *Ledger) guard(ctx context.Context, tx *db.Tx, ts []Transfer, posting []int, results []Result, errs []error) ([]int, []int64, error) {
	if l.Guard == nil || len(posting) == 0 {
		return posting, nil, nil
	}
	refused, err := l.Guard(ctx, tx, ts, posting)
	if err != nil || len(refused) == 0 {
		return posting, nil, err
	}
	var kept []int
	var released []int64
	for _, i := range posting {
		if e, ok := refused[i]; ok {
			errs[i] = e
			released = append(released, results[i].TransferID)
			results[i] = Result{}
		} else {
			kept = append(kept, i)
		}
	}
	return kept, released, nil
}

// conflict is the error for a key reused with different content.
func conflict(key string) error {
	return apperr.Errorf(apperr.Conflict, "This request was already made with different details (idempotency key %q).", key)
}

// claim inserts a transfer row for each of ts[fresh] whose key is not yet
// taken and returns key → new transfer id. On PostgreSQL a key another
// transaction is inserting makes this wait for it, then count as taken.
func claim(ctx context.Context, tx *db.Tx, ts []Transfer, fps []string, fresh []int, now int64) (map[string]int64, error) {
	order := slices.Clone(fresh)
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(ts[a].Key, ts[b].Key) })
	ids := make(map[string]int64, len(order))
	const cols = 9
	for _, chunk := range db.Chunks(order, cols) {
		args := make([]any, 0, len(chunk)*cols)
		for _, i := range chunk {
			t := ts[i]
			args = append(args, t.Key, string(t.Type), t.CauseType, t.CauseID, t.StripeEventID, t.Memo, t.ActorID, fps[i], now)
		}
		rs, err := tx.QueryContext(ctx, `INSERT INTO ledger_transfers
			(idempotency_key, type, cause_type, cause_id, stripe_event_id, memo, actor_id, fingerprint, created_at)
			VALUES `+db.Values(len(chunk), cols, false)+`
			ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key`, args...)
		if err != nil {
			return nil, fmt.Errorf("ledger: claim keys: %w", err)
		}
		err = scanAll(rs, func() error {
			var id int64
			var key string
			if err := rs.Scan(&id, &key); err != nil {
				return err
			}
			ids[key] = id
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ledger: claim keys: %w", err)
		}
	}
	return ids, nil
}

// replay settles ts[taken], whose keys were already posted: the same content
// is a replay of the first transfer, other content a Conflict.
func replay(ctx context.Context, tx *db.Tx, ts []Transfer, fps []string, taken []int, results []Result, errs []error) error {
	type prior struct {
		id, at int64
		fp     string
	}
	found := make(map[string]prior, len(taken))
	for _, chunk := range db.Chunks(taken, 1) {
		args := make([]any, len(chunk))
		for k, i := range chunk {
			args[k] = ts[i].Key
		}
		rs, err := tx.QueryContext(ctx, `SELECT idempotency_key, id, fingerprint, created_at
			FROM ledger_transfers WHERE idempotency_key IN (`+db.Params(len(chunk))+`)`, args...)
		if err != nil {
			return fmt.Errorf("ledger: read posted keys: %w", err)
		}
		err = scanAll(rs, func() error {
			var key string
			var p prior
			if err := rs.Scan(&key, &p.id, &p.fp, &p.at); err != nil {
				return err
			}
			found[key] = p
			return nil
		})
		if err != nil {
			return fmt.Errorf("ledger: read posted keys: %w", err)
		}
	}
	for _, i := range taken {
		p, ok := found[ts[i].Key]
		switch {
		case !ok:
			return fmt.Errorf("ledger: key %q is taken but its transfer cannot be read", ts[i].Key)
		case p.fp != fps[i]:
			errs[i] = conflict(ts[i].Key)
		default:
			results[i] = Result{TransferID: p.id, Replayed: true, CreatedAt: db.Time(p.at)}
		}
	}
	return nil
}

// deleteByID deletes rows this transaction created and no longer wants:
// the claims of refused transfers (freeing their keys) and accounts created
// only for them.
func deleteByID(ctx context.Context, tx *db.Tx, table string, ids []int64) error {
	for _, chunk := range db.Chunks(ids, 1) {
		args := make([]any, len(chunk))
		for k, id := range chunk {
			args[k] = id
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id IN (`+db.Params(len(chunk))+`)`, args...); err != nil {
			return fmt.Errorf("ledger: delete unused %s: %w", table, err)
		}
	}
	return nil
}

// postingRow is one posting to insert.
type postingRow struct{ transfer, account, amount, after int64 }

// insertPostings writes the postings in the order they were applied, so each
// account's postings ascend by id in the order of its balance_after chain.
func insertPostings(ctx context.Context, tx *db.Tx, ps []postingRow, now int64) error {
	const cols = 5
	for _, chunk := range db.Chunks(ps, cols) {
		args := make([]any, 0, len(chunk)*cols)
		for _, p := range chunk {
			args = append(args, p.transfer, p.account, p.amount, p.after, now)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ledger_postings (transfer_id, account_id, amount, balance_after, created_at)
			VALUES `+db.Values(len(chunk), cols, false), args...)
		if err != nil {
			return fmt.Errorf("ledger: insert postings: %w", err)
		}
	}
	return nil
}

// scanAll calls scan for each row of rs and closes it.
func scanAll(rs *sql.Rows, scan func() error) error {
	defer rs.Close()
	for rs.Next() {
		if err := scan(); err != nil {
			return err
		}
	}
	return rs.Err()
}
