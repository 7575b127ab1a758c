package ledger

import (
	"context"
	"fmt"
	"slices"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// TransferByID returns one transfer with its postings, or an apperr.NotFound
// error.
func (l *Ledger) TransferByID(ctx context.Context, q db.Querier, id int64) (TransferInfo, error) {
	ts, err := transfers(ctx, q, `id = $1`, id)
	if err != nil {
		return TransferInfo{}, err
	}
	if len(ts) == 0 {
		return TransferInfo{}, apperr.Errorf(apperr.NotFound, "No such transfer.")
	}
	return ts[0], nil
}

// EntryTypesOf lists the entry types account r has entries of, in the
// order of the table of types, for a filter that offers only what the
// account's history holds.
func (l *Ledger) EntryTypesOf(ctx context.Context, r Ref) ([]EntryType, error) {
	if why := r.valid(); why != "" {
		return nil, apperr.Errorf(apperr.Invalid, "ledger: %s", why)
	}
	rs, err := l.DB.Read().QueryContext(ctx, `SELECT DISTINCT t.type FROM ledger_postings p JOIN ledger_transfers t ON t.id = p.transfer_id
		WHERE p.account_id = (SELECT id FROM ledger_accounts WHERE kind = $1 AND user_id = $2)`, string(r.Kind), r.UserID)
	if err != nil {
		return nil, fmt.Errorf("ledger: entry types of %s: %w", r, err)
	}
	var held []EntryType
	err = scanAll(rs, func() error {
		var t EntryType
		if err := rs.Scan(&t); err != nil {
			return err
		}
		held = append(held, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: entry types of %s: %w", r, err)
	}
	var out []EntryType
	for _, t := range entryTypes {
		if slices.Contains(held, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// ValidEntryType reports whether t is a known entry type.
func ValidEntryType(t EntryType) bool { return slices.Contains(entryTypes, t) }

// WalletBalances returns the wallet balances of many users in one query per
// chunk; a user without a wallet yet has 0.
func (l *Ledger) WalletBalances(ctx context.Context, q db.Querier, userIDs []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(userIDs))
	for _, chunk := range db.Chunks(userIDs, 1) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
			out[id] = 0
		}
		rows, err := q.QueryContext(ctx, `SELECT user_id, balance FROM ledger_accounts WHERE kind = 'wallet' AND user_id IN (`+db.Params(len(chunk))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("ledger: wallet balances: %w", err)
		}
		for rows.Next() {
			var id, b int64
			if err := rows.Scan(&id, &b); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = b
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PlatformRevenueTotal is the platform's revenue: the sum of all its shards.
func (l *Ledger) PlatformRevenueTotal(ctx context.Context, q db.Querier) (int64, error) {
	var total int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(sum(balance), 0) FROM ledger_accounts WHERE kind = 'platform_revenue'`).Scan(&total); err != nil {
		return 0, fmt.Errorf("ledger: platform revenue: %w", err)
	}
	return total, nil
}
