package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

var ctx = context.Background()

// fataler is what the helpers need of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// setup returns a ledger over d with a fake clock.
func setup(d *db.DB) (*ledger.Ledger, *clock.Fake) {
	c := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	return &ledger.Ledger{DB: d, Clock: c}, c
}

// topUp credits user's wallet with cents from Stripe clearing.
func topUp(t testing.TB, l *ledger.Ledger, user, cents int64, key string) ledger.Result {
	t.Helper()
	r, err := l.Transfer(ctx, ledger.Transfer{Key: key, Type: ledger.TypeTopUp, CauseType: "topup", CauseID: key,
		Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -cents}, {Account: ledger.Wallet(user), Amount: cents}}})
	if err != nil {
		t.Fatalf("top up %d: %v", cents, err)
	}
	return r
}

// charge moves cents from client's wallet to reader's earnings.
func charge(key string, client, reader, cents int64) ledger.Transfer {
	return ledger.Transfer{Key: key, Type: ledger.TypeReadingCharge, CauseType: "reading", CauseID: key,
		Postings: []ledger.Posting{{Account: ledger.Wallet(client), Amount: -cents}, {Account: ledger.Earnings(reader), Amount: cents}}}
}

func balance(t fataler, l *ledger.Ledger, r ledger.Ref) int64 {
	t.Helper()
	b, err := l.Balance(ctx, l.DB.Read(), r)
	if err != nil {
		t.Fatalf("balance of %v: %v", r, err)
	}
	return b
}

// state is everything in the ledger's tables, to show that nothing changed.
func state(t testing.TB, d *db.DB) string {
	t.Helper()
	var s string
	for _, q := range []string{
		"SELECT id, kind, user_id, balance FROM ledger_accounts ORDER BY id",
		"SELECT id, idempotency_key, type, fingerprint FROM ledger_transfers ORDER BY id",
		"SELECT id, transfer_id, account_id, amount, balance_after FROM ledger_postings ORDER BY id",
	} {
		rs, err := d.Read().QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			s += fmt.Sprintln(vals...)
		}
		rs.Close()
		s += "--\n"
	}
	return s
}

// mustVerify fails the test when Verify finds any problem.
func mustVerify(t fataler, d *db.DB) ledger.Report {
	t.Helper()
	r, err := ledger.Verify(ctx, d)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if len(r.Problems) > 0 {
		t.Fatalf("verify found problems:\n%v", r.Problems)
	}
	return r
}

func wantCode(t testing.TB, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
	var e *apperr.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *apperr.Error", err)
	}
}
