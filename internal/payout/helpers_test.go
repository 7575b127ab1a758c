package payout_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payout"
)

// env is a payout service on a fresh database.
type env struct {
	t     *testing.T
	d     *db.DB
	clock *clock.Fake
	s     *payout.Service
	n     int
}

var ctx = context.Background()

// start is a Wednesday noon: the weekly period began on Monday.
var start = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func setup(t *testing.T, d *db.DB, gw func(*db.DB, clock.Clock) payout.Gateway) *env {
	c := clock.NewFake(start)
	l := &ledger.Ledger{DB: d, Clock: c}
	s := &payout.Service{DB: d, Clock: c, Ledger: l, Gateway: gw(d, c), Log: slog.New(slog.DiscardHandler),
		BaseURL: "http://localhost:8080", MinCents: 2500, Schedule: payout.Weekly}
	return &env{t: t, d: d, clock: c, s: s}
}

func testMode(d *db.DB, c clock.Clock) payout.Gateway {
	return &payout.TestGateway{DB: d, Clock: c, BaseURL: "http://localhost:8080"}
}

func (e *env) user(role string) int64 {
	e.t.Helper()
	e.n++
	var id int64
	err := e.d.Writer.QueryRowContext(ctx, `INSERT INTO users (email, display_name, role, created_at, updated_at) VALUES ($1, $2, $3, 0, 0) RETURNING id`,
		fmt.Sprintf("%s%d@example.com", role, e.n), fmt.Sprintf("%s %d", role, e.n), role).Scan(&id)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// earn credits a reader's earnings as readings would.
func (e *env) earn(reader, cents int64) {
	e.t.Helper()
	e.n++
	_, err := e.s.Ledger.Transfer(ctx, ledger.Transfer{Key: "earn:" + strconv.Itoa(e.n), Type: ledger.TypeReadingCharge,
		Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -cents}, {Account: ledger.Earnings(reader), Amount: cents}}})
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) balance(r ledger.Ref) int64 {
	e.t.Helper()
	b, err := e.s.Ledger.Balance(ctx, e.d.Read(), r)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// onboard opens the reader's account and finishes onboarding: in test mode
// on the test page, at Stripe by an account.updated event.
func (e *env) onboard(reader int64) string {
	e.t.Helper()
	ctx := ctx
	u := readerUser(reader)
	if _, err := e.s.Onboard(ctx, u); err != nil {
		e.t.Fatal(err)
	}
	a, ok, err := e.s.ConnectedAccount(ctx, reader)
	if err != nil || !ok {
		e.t.Fatalf("account: %v %v", ok, err)
	}
	e.accountUpdated(a.StripeAccountID, true)
	return a.StripeAccountID
}

// accountUpdated delivers account.updated for acct.
func (e *env) accountUpdated(acct string, enabled bool) string {
	e.t.Helper()
	obj := map[string]any{"id": acct, "object": "account", "payouts_enabled": enabled, "details_submitted": true,
		"requirements": map[string]any{"currently_due": []string{}, "disabled_reason": ""}}
	if !enabled {
		obj["requirements"] = map[string]any{"currently_due": []string{"external_account"}, "disabled_reason": "requirements.past_due"}
	}
	return e.event("account.updated", obj)
}

// event applies a Connect event as the webhook would, in its own
// transaction, and returns its note.
func (e *env) event(typ string, obj map[string]any) string {
	e.t.Helper()
	raw, _ := json.Marshal(obj)
	e.n++
	ev := stripe.Event{ID: "evt_" + strconv.Itoa(e.n), Type: stripe.EventType(typ), Data: &stripe.EventData{Raw: raw}}
	var note string
	err := e.d.Tx(ctx, func(tx *db.Tx) error {
		var err error
		note, err = e.s.ConnectEvent(ctx, tx, ev)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return note
}

// verify runs the ledger check.
func (e *env) verify() {
	e.t.Helper()
	rep, err := ledger.Verify(ctx, e.d)
	if err != nil || len(rep.Problems) > 0 {
		e.t.Fatalf("ledger verify: %v %v", err, rep.Problems)
	}
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n sql.NullInt64
	if err := e.d.Read().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return int(n.Int64)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
