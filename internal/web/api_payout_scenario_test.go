package web_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// payoutAPI is every /api/v1 route of reader payouts; like foundationAPI,
// each needs a success scenario, and each that takes a JSON body is also
// sent the generic bad bodies (payoutBodyRoutes).
var payoutAPI = map[string]bool{ // route → takes a JSON body
	"POST /api/v1/me/payouts/onboarding": false,
	"GET /api/v1/me/payouts":             false,
	"POST /api/v1/admin/payouts/run":     true,
	"GET /api/v1/admin/payouts":          false,
}

// payoutBodyRoutes are the payout routes that take JSON, with who may call
// them, so the bad bodies get past authorisation to the decoder.
var payoutBodyRoutes = []bodyRoute{
	{"POST /api/v1/admin/payouts/run", "admin", "", nil},
}

// EXT-3 through the API: a reader sees their payouts and gets an
// onboarding link; admins see the payout control and run payouts, a
// refused run (a reader not onboarded, below the minimum, an amount
// without a reader, a bad body) being a problem that changes nothing.
// Once onboarded with earnings, the reader is paid by name and sees the
// payout; the ledger verifies after.
func TestPayoutAPIScenarios_EXT3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		for _, sc := range payoutScenarios() {
			t.Run(sc.route+" "+sc.name, func(t *testing.T) { sc.run(t, w) })
		}
		sendBadBodies(t, w, payoutBodyRoutes)
		rep, err := ledger.Verify(ctx, s.App.DB)
		if err != nil || len(rep.Problems) > 0 {
			t.Fatalf("ledger verify: %v %v", err, rep.Problems)
		}
	}, apptest.WithManualSweeps()) // the periodic payout run would race the admin's
}

func payoutScenarios() []scenario {
	const (
		mine    = "GET /api/v1/me/payouts"
		onboard = "POST /api/v1/me/payouts/onboarding"
		run     = "POST /api/v1/admin/payouts/run"
		control = "GET /api/v1/admin/payouts"
	)
	payReader := func(cents int64) func(*testing.T, *world) any {
		return func(_ *testing.T, w *world) any {
			return map[string]any{"reader_id": w.reader.ID, "amount_cents": cents}
		}
	}
	return []scenario{
		{name: "a client's payouts", route: mine, as: "client", status: 403},
		{name: "a reader's payouts before onboarding", route: mine, as: "reader", status: 200,
			contains: []string{`"available_cents":0`, `"minimum_cents":2500`, `"onboarding_started":false`, `"payouts":[]`}},
		{name: "an admin onboards", route: onboard, as: "admin", status: 403},
		{name: "a reader without two-factor sign-in onboards", route: onboard, as: "reader", status: 403, detail: "two-factor sign-in",
			check: func(t *testing.T, w *world, _ apptest.Response) { w.reader = w.s.EnrolTwoFactor(w.reader) }}, // ACC-7
		{name: "a reader onboards", route: onboard, as: "reader", status: 200, contains: []string{`/reader/payouts/test-onboarding"`}},
		{name: "pay a reader not onboarded yet", route: run, as: "admin", status: 409, detail: "does not take payouts yet", bodyFn: payReader(0),
			check: func(t *testing.T, w *world, _ apptest.Response) {
				// The reader finishes the test onboarding and earns $30.
				if err := w.s.App.Payouts.CompleteTestOnboarding(ctx, w.reader.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := w.s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "payout-api-earn", Type: ledger.TypeAdjustment,
					Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -30_00}, {Account: ledger.Earnings(w.reader.ID), Amount: 30_00}}}); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "pay less than the minimum", route: run, as: "admin", status: 422, detail: "at least $25.00", bodyFn: payReader(10_00)},
		{name: "pay more than is available", route: run, as: "admin", status: 422, detail: "Only $30.00 is available", bodyFn: payReader(40_00)},
		{name: "an amount without a reader", route: run, as: "admin", status: 400, fields: []string{"reader_id"}, body: map[string]any{"amount_cents": 500}},
		{name: "a reader id that is not a number", route: run, as: "admin", status: 400, body: `{"reader_id": "luna"}`},
		{name: "an unknown field", route: run, as: "admin", status: 400, body: `{"reader": 1}`},
		{name: "a reader runs payouts", route: run, as: "reader", status: 403, body: map[string]any{}},
		{name: "pay the reader", route: run, as: "admin", status: 200, bodyFn: payReader(0),
			check: func(t *testing.T, w *world, res apptest.Response) {
				rep := decode[struct {
					Paid []int64 `json:"paid"`
				}](t, res)
				if len(rep.Paid) != 1 {
					t.Fatalf("run = %s", res.Body)
				}
				w.ids["payout"] = rep.Paid[0]
			}},
		{name: "run everyone due", route: run, as: "admin", status: 200, body: map[string]any{}, contains: []string{`"paid":[]`, `"below_minimum":0`}},
		{name: "a reader's payouts after one", route: mine, as: "reader", status: 200,
			check: func(t *testing.T, w *world, res apptest.Response) {
				mine := decode[struct {
					Available int64 `json:"available_cents"`
					Payouts   []struct {
						ID     int64  `json:"id"`
						Amount int64  `json:"amount_cents"`
						State  string `json:"state"`
					} `json:"payouts"`
				}](t, res)
				if mine.Available != 0 || len(mine.Payouts) != 1 || mine.Payouts[0].ID != w.ids["payout"] || mine.Payouts[0].Amount != 30_00 || mine.Payouts[0].State != "paid" {
					t.Fatalf("GET /api/v1/me/payouts = %s", res.Body)
				}
			}},
		{name: "the payout control", route: control, as: "admin", status: 200, contains: []string{`"minimum_cents":2500`, `"holds":[]`, `"amount_cents":3000`}},
		{name: "the payout control by state", route: control, as: "admin", path: "/api/v1/admin/payouts?state=failed", status: 200, contains: []string{`"payouts":[]`}},
		{name: "an unknown state", route: control, as: "admin", path: "/api/v1/admin/payouts?state=lost", status: 400, fields: []string{"state"}},
		{name: "a reader reads the control", route: control, as: "reader", status: 403},
	}
}
