package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payout"
)

// EXT-3 SEC-4: a reader sets up payouts on the labelled test onboarding
// page and then sees what is available, the minimum, the next payout date
// and their history; the API says the same. An admin's hold without a
// reason is refused beside its field and changes nothing; a run pays the
// reader, audited, and the reader's page lists it; her dashboard's next
// payout (DASH-R) then waits for the minimum, below the payout made.
func TestPayoutPages_EXT3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		rdr, admin := w.as["reader"], w.as["admin"]
		res := page(rdr, "/reader/payouts")
		mustContain(t, res, "Set up payouts", "Test mode", "No payouts yet.", "data-needs-two-factor", `href="/account/two-factor?next=%2Freader%2Fpayouts"`)
		mustNotContain(t, res, `action="/reader/payouts/onboarding"`)
		if res := rdr.Form("/reader/payouts/onboarding", url.Values{}); res.Status != http.StatusForbidden { // ACC-7
			t.Fatalf("onboarding without two-factor sign-in: %d", res.Status)
		}
		w.reader = s.EnrolTwoFactor(w.reader)
		mustContain(t, page(rdr, "/reader/payouts"), `action="/reader/payouts/onboarding"`)
		res = rdr.Form("/reader/payouts/onboarding", url.Values{})
		if loc := res.Header.Get("Location"); res.Status != http.StatusSeeOther || !strings.HasSuffix(loc, payout.TestOnboardingPath) {
			t.Fatalf("onboarding: %d to %q", res.Status, loc)
		}
		mustContain(t, page(rdr, payout.TestOnboardingPath), "Test mode", "Complete test onboarding")
		if res := rdr.Form(payout.TestOnboardingPath, url.Values{}); res.Status != http.StatusSeeOther {
			t.Fatalf("completing test onboarding: %d %s", res.Status, res.Body)
		}
		if _, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "pages-earn", Type: ledger.TypeAdjustment,
			Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -40_00}, {Account: ledger.Earnings(w.reader.ID), Amount: 40_00}}}); err != nil {
			t.Fatal(err)
		}
		mustContain(t, page(rdr, "/reader/payouts"), "Payouts are set up", "$40.00", "$25.00")

		var mine struct {
			Available int64 `json:"available_cents"`
			Minimum   int64 `json:"minimum_cents"`
			Account   struct {
				Enabled bool `json:"payouts_enabled"`
			} `json:"account"`
		}
		res = rdr.Do("GET", "/api/v1/me/payouts", nil)
		res.JSON(t, &mine)
		if res.Status != 200 || mine.Available != 40_00 || mine.Minimum != 25_00 || !mine.Account.Enabled {
			t.Fatalf("GET /api/v1/me/payouts: %d %s", res.Status, res.Body)
		}

		before := fingerprint(t, s)
		res = admin.Form("/admin/payouts/holds", url.Values{"reader_id": {id(w.reader.ID)}, "reason": {"  "}})
		if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "Say why the payouts are held.") {
			t.Fatalf("hold without a reason: %d", res.Status)
		}
		if fingerprint(t, s) != before {
			t.Fatal("a refused hold changed the database")
		}
		res = admin.Do("POST", "/api/v1/admin/payouts/run", map[string]any{"reader_id": w.reader.ID, "amount_cents": 10_00})
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("a payout below the minimum: %d %s", res.Status, res.Body)
		}
		var rep struct {
			Paid []int64 `json:"paid"`
		}
		res = admin.Do("POST", "/api/v1/admin/payouts/run", map[string]any{})
		res.JSON(t, &rep)
		if res.Status != 200 || len(rep.Paid) != 1 {
			t.Fatalf("run: %d %s", res.Status, res.Body)
		}
		mustContain(t, page(rdr, "/reader/payouts"), `data-payout-id="`+id(rep.Paid[0])+`"`, "Paid")
		// DASH-R: the dashboard's next payout waits for the minimum again,
		// below the payout just made
		mustContain(t, page(rdr, "/reader/dashboard"), `data-payout-state="below_minimum"`,
			`<span data-earned-available>$0.00</span> is below the minimum of <span data-payout-minimum>$25.00</span>`,
			`data-last-payout="`+id(rep.Paid[0])+`">Last: $40.00, paid `)
		mustContain(t, page(admin, "/admin/payouts"), "Recent payouts", `data-payout-id="`+id(rep.Paid[0])+`"`)
		var n int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action IN ('payout.run', 'payout.create') AND actor_id = $1`, w.admin.ID).Scan(&n); err != nil || n != 2 {
			t.Fatalf("%d audit records of the admin's run, want 2 (%v)", n, err)
		}
	}, apptest.WithManualSweeps()) // the periodic payout run would race the admin's
}
