package ledger_test

import (
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-3: Verify proves balances from the entries, so tampering with the
// tables behind the ledger's back is reported.
func TestVerifyDetectsTampering(t *testing.T) {
	cases := []struct {
		name  string
		sql   string
		finds string
	}{
		{"cached balance changed", "UPDATE ledger_accounts SET balance = balance + 1 WHERE kind = 'wallet'", "differs from the sum of its postings"},
		{"posting deleted", "DELETE FROM ledger_postings WHERE id = (SELECT MIN(id) FROM ledger_postings WHERE amount < 0 AND transfer_id > 1)", "not zero"},
		{"posting amount changed", "UPDATE ledger_postings SET amount = amount + 5 WHERE id = (SELECT MAX(id) FROM ledger_postings)", "not zero"},
		{"balance_after changed", "UPDATE ledger_postings SET balance_after = balance_after - 1 WHERE id = (SELECT MIN(id) FROM ledger_postings WHERE amount < 0)", "balance_after"},
		{"transfer deleted", "DELETE FROM ledger_transfers WHERE id = (SELECT MAX(transfer_id) FROM ledger_postings)", "does not exist"},
		{"lone transfer", "INSERT INTO ledger_transfers (idempotency_key, type, fingerprint, created_at) VALUES ('forged', 'adjustment', 'x', 0)", "needs at least 2"},
		{"wallet allowed to go negative", "UPDATE ledger_accounts SET balance = -5, allow_negative = TRUE WHERE kind = 'earnings'", "negative"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				l, _ := setup(d)
				topUp(t, l, 1, 10_00, "topup-1")
				for i, amount := range []int64{1_00, 2_00, 3_00} {
					if _, err := l.Transfer(ctx, charge(string(rune('a'+i)), 1, 2, amount)); err != nil {
						t.Fatal(err)
					}
				}
				mustVerify(t, d)
				if _, err := d.Writer.ExecContext(ctx, tamperSQL(d, c.sql)); err != nil {
					t.Fatalf("tamper: %v", err)
				}
				rep, err := ledger.Verify(ctx, d)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(strings.Join(rep.Problems, "\n"), c.finds) {
					t.Fatalf("problems %q do not mention %q", rep.Problems, c.finds)
				}
			})
		})
	}
}

// tamperSQL lifts the schema's CHECK constraints where a case needs to break
// one, as someone editing the database by hand could.
func tamperSQL(d *db.DB, sql string) string {
	if !strings.Contains(sql, "allow_negative = TRUE") {
		return sql
	}
	if d.Engine == db.Postgres {
		return "ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_nonnegative, DROP CONSTRAINT ledger_accounts_negative_by_kind; " + sql
	}
	return "PRAGMA ignore_check_constraints = ON; " + sql
}

// WAL-1: behind the check Post makes under a row lock, the schema itself
// refuses a negative wallet or a balance above MaxAmount.
func TestSchemaRefusesImpossibleBalances(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l, _ := setup(d)
		topUp(t, l, 1, 10_00, "topup-1")
		for _, sql := range []string{
			"UPDATE ledger_accounts SET balance = -1 WHERE kind = 'wallet'",
			"UPDATE ledger_accounts SET balance = 10000000000 WHERE kind = 'wallet'",
			"UPDATE ledger_accounts SET allow_negative = TRUE WHERE kind = 'wallet'",
			"INSERT INTO ledger_accounts (kind, user_id, allow_negative, created_at) VALUES ('wallet', 0, FALSE, 0)",
		} {
			if _, err := d.Writer.ExecContext(ctx, sql); err == nil {
				t.Errorf("the schema allowed: %s", sql)
			}
		}
		mustVerify(t, d)
	})
}
