package ledger

import (
	"context"
	"fmt"
	"strings"

	"github.com/soulseer/soulseer/internal/db"
)

// Report is what Verify checked and every problem it found. An empty
// Problems means the ledger is consistent.
type Report struct {
	Transfers, Postings, Accounts int64
	Problems                      []string
}

// maxProblemsPerCheck bounds how many problems one check lists.
const maxProblemsPerCheck = 100

// check is one invariant: a query returning the rows that break it, each
// turned into a line by describe.
type check struct {
	name     string
	query    string
	describe func(vals []int64) string
}

// checks are the invariants of the ledger, each a query for its violations
// (WAL-3). Each is one statement, so it sees one consistent snapshot even
// while transfers are being posted.
var checks = []check{
	{"transfers sum to zero",
		`SELECT transfer_id, SUM(amount) FROM ledger_postings GROUP BY transfer_id HAVING SUM(amount) <> 0`,
		func(v []int64) string { return fmt.Sprintf("transfer %d: postings sum to %d, not zero", v[0], v[1]) }},
	{"postings belong to a transfer and an account",
		`SELECT p.id, p.transfer_id, p.account_id FROM ledger_postings p
		 LEFT JOIN ledger_transfers t ON t.id = p.transfer_id LEFT JOIN ledger_accounts a ON a.id = p.account_id
		 WHERE t.id IS NULL OR a.id IS NULL`,
		func(v []int64) string {
			return fmt.Sprintf("posting %d: its transfer %d or account %d does not exist", v[0], v[1], v[2])
		}},
	{"transfers have two postings",
		`SELECT t.id, COUNT(p.id) FROM ledger_transfers t LEFT JOIN ledger_postings p ON p.transfer_id = t.id
		 GROUP BY t.id HAVING COUNT(p.id) < 2`,
		func(v []int64) string {
			return fmt.Sprintf("transfer %d: has %d postings, needs at least 2", v[0], v[1])
		}},
	{"an account at most once per transfer",
		`SELECT transfer_id, account_id FROM ledger_postings GROUP BY transfer_id, account_id HAVING COUNT(*) > 1`,
		func(v []int64) string {
			return fmt.Sprintf("transfer %d: account %d appears more than once", v[0], v[1])
		}},
	{"balances equal their postings",
		`SELECT a.id, a.balance, COALESCE(SUM(p.amount), 0) FROM ledger_accounts a
		 LEFT JOIN ledger_postings p ON p.account_id = a.id
		 GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(SUM(p.amount), 0)`,
		func(v []int64) string {
			return fmt.Sprintf("account %d: cached balance %d differs from the sum of its postings, %d", v[0], v[1], v[2])
		}},
	{"balance_after chains",
		`SELECT account_id, id, balance_after, prev + amount FROM (
		   SELECT account_id, id, amount, balance_after,
		          LAG(balance_after, 1, 0) OVER (PARTITION BY account_id ORDER BY id) AS prev
		   FROM ledger_postings) x
		 WHERE balance_after <> prev + amount`,
		func(v []int64) string {
			return fmt.Sprintf("account %d: posting %d has balance_after %d, but the previous balance plus its amount is %d", v[0], v[1], v[2], v[3])
		}},
	{"last balance_after is the balance",
		`SELECT a.id, a.balance, p.balance_after FROM ledger_accounts a
		 JOIN ledger_postings p ON p.id = (SELECT MAX(id) FROM ledger_postings WHERE account_id = a.id)
		 WHERE p.balance_after <> a.balance`,
		func(v []int64) string {
			return fmt.Sprintf("account %d: cached balance %d differs from its last balance_after, %d", v[0], v[1], v[2])
		}},
	{"user accounts never negative",
		`SELECT id, balance FROM ledger_accounts WHERE balance < 0 AND kind IN ('wallet', 'earnings', 'hold')`,
		func(v []int64) string { return fmt.Sprintf("account %d: user account is negative (%d)", v[0], v[1]) }},
	{"user accounts never were negative",
		`SELECT p.account_id, p.id, p.balance_after FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
		 WHERE p.balance_after < 0 AND a.kind IN ('wallet', 'earnings', 'hold')`,
		func(v []int64) string {
			return fmt.Sprintf("account %d: posting %d left the user account negative (%d)", v[0], v[1], v[2])
		}},
	{"user accounts may not go negative",
		`SELECT id FROM ledger_accounts WHERE allow_negative AND kind IN ('wallet', 'earnings', 'hold')`,
		func(v []int64) string {
			return fmt.Sprintf("account %d: user account is marked as allowed to go negative", v[0])
		}},
	{"amounts within bounds",
		fmt.Sprintf(`SELECT id, amount FROM ledger_postings WHERE amount = 0 OR amount > %d OR amount < -%d`, MaxAmount, MaxAmount),
		func(v []int64) string {
			return fmt.Sprintf("posting %d: amount %d is zero or beyond %d", v[0], v[1], MaxAmount)
		}},
	{"user balances within bounds",
		fmt.Sprintf(`SELECT id, balance FROM ledger_accounts WHERE balance > %d AND kind IN ('wallet', 'earnings', 'hold')`, MaxAmount),
		func(v []int64) string {
			return fmt.Sprintf("account %d: user account balance %d is beyond %d", v[0], v[1], MaxAmount)
		}},
	{"user balance_after within bounds",
		fmt.Sprintf(`SELECT p.id, p.balance_after FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
		 WHERE p.balance_after > %d AND a.kind IN ('wallet', 'earnings', 'hold')`, MaxAmount),
		func(v []int64) string {
			return fmt.Sprintf("posting %d: balance_after %d of a user account is beyond %d", v[0], v[1], MaxAmount)
		}},
	{"balances within the ledger's range",
		fmt.Sprintf(`SELECT id, balance FROM ledger_accounts WHERE balance NOT BETWEEN %d AND %d`, minBalance, maxBalance),
		func(v []int64) string {
			return fmt.Sprintf("account %d: balance %d is beyond the ledger's range", v[0], v[1])
		}},
}

// Verify proves the ledger from its entries (WAL-3): every posting belongs
// to an existing transfer and account; every transfer has at least two
// postings on distinct accounts summing to zero; every cached
// balance equals the sum of its postings and its last balance_after; every
// balance_after chain adds up; no user account is or ever was negative or
// above MaxAmount; no amount is beyond MaxAmount, and no balance beyond the
// ledger's range. It only reads.
func Verify(ctx context.Context, d *db.DB) (Report, error) {
	var r Report
	q := d.Read()
	err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM ledger_transfers),
		(SELECT COUNT(*) FROM ledger_postings), (SELECT COUNT(*) FROM ledger_accounts)`).
		Scan(&r.Transfers, &r.Postings, &r.Accounts)
	if err != nil {
		return Report{}, fmt.Errorf("ledger: verify: count: %w", err)
	}
	for _, c := range checks {
		rs, err := q.QueryContext(ctx, c.query+fmt.Sprintf(" LIMIT %d", maxProblemsPerCheck+1))
		if err != nil {
			return Report{}, fmt.Errorf("ledger: verify %s: %w", c.name, err)
		}
		cols, err := rs.Columns()
		if err != nil {
			rs.Close()
			return Report{}, fmt.Errorf("ledger: verify %s: %w", c.name, err)
		}
		var found []string
		err = scanAll(rs, func() error {
			vals := make([]int64, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				return err
			}
			found = append(found, c.describe(vals))
			return nil
		})
		if err != nil {
			return Report{}, fmt.Errorf("ledger: verify %s: %w", c.name, err)
		}
		if len(found) > maxProblemsPerCheck {
			found = append(found[:maxProblemsPerCheck], fmt.Sprintf("… and more breaking %q", c.name))
		}
		r.Problems = append(r.Problems, found...)
	}
	return r, nil
}

// Checked lists the invariants Verify checks, for reports.
func Checked() string {
	names := make([]string, len(checks))
	for i, c := range checks {
		names[i] = c.name
	}
	return strings.Join(names, "; ")
}
