package web_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// EXT-3 through the API: a reader sees their payouts and gets an
// onboarding link; admins see the payout control and run payouts, a
// refused run (a reader not onboarded, an amount without a reader, a bad
// body) being a problem that changes nothing; the ledger verifies after.
func TestPayoutAPIScenarios_EXT3(t *testing.T) {
	const (
		mine    = "GET /api/v1/me/payouts"
		onboard = "POST /api/v1/me/payouts/onboarding"
		run     = "POST /api/v1/admin/payouts/run"
		control = "GET /api/v1/admin/payouts"
	)
	scs := []scenario{
		{name: "a client's payouts", route: mine, as: "client", status: 403},
		{name: "a reader's payouts before onboarding", route: mine, as: "reader", status: 200,
			contains: []string{`"available_cents":0`, `"minimum_cents":2500`, `"onboarding_started":false`, `"payouts":[]`}},
		{name: "an admin onboards", route: onboard, as: "admin", status: 403},
		{name: "a reader onboards", route: onboard, as: "reader", status: 200, contains: []string{`/reader/payouts/test-onboarding"`}},
		{name: "pay a reader not onboarded yet", route: run, as: "admin", status: 409, detail: "does not take payouts yet",
			bodyFn: func(t *testing.T, w *world) any { return map[string]any{"reader_id": w.reader.ID} }},
		{name: "an amount without a reader", route: run, as: "admin", status: 400, fields: []string{"reader_id"}, body: map[string]any{"amount_cents": 500}},
		{name: "a reader id that is not a number", route: run, as: "admin", status: 400, body: `{"reader_id": "luna"}`},
		{name: "an unknown field", route: run, as: "admin", status: 400, body: `{"reader": 1}`},
		{name: "a reader runs payouts", route: run, as: "reader", status: 403, body: map[string]any{}},
		{name: "run everyone due", route: run, as: "admin", status: 200, body: map[string]any{}, contains: []string{`"paid":[]`, `"below_minimum":0`}},
		{name: "the payout control", route: control, as: "admin", status: 200, contains: []string{`"minimum_cents":2500`, `"holds":[]`}},
		{name: "the payout control by state", route: control, as: "admin", path: "/api/v1/admin/payouts?state=failed", status: 200, contains: []string{`"payouts":[]`}},
		{name: "an unknown state", route: control, as: "admin", path: "/api/v1/admin/payouts?state=lost", status: 400, fields: []string{"state"}},
		{name: "a reader reads the control", route: control, as: "reader", status: 403},
	}
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		for _, sc := range scs {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, w) })
		}
		rep, err := ledger.Verify(ctx, s.App.DB)
		if err != nil || len(rep.Problems) > 0 {
			t.Fatalf("ledger verify: %v %v", err, rep.Problems)
		}
	}, apptest.WithManualSweeps()) // the periodic payout run would race the admin's
}
