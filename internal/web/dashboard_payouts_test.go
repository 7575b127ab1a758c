package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payout"
)

// dashboardPayouts goes on from the dashboard figures with payouts (DASH-R,
// DASH-A, EXT-3). Before onboarding the reader's next payout asks her to
// set payouts up. Then both readers onboard in test mode, with Iris, who
// has a cent less than the minimum; Nova is paid
// twice, 31 days apart, each transfer reversed at Stripe by a signed
// webhook, and her payouts are held. The admin sees one reader due — Luna,
// with all she has — and one payout failed in the last 30 days; Luna sees
// her next payout on the date her payout settings give, paying everything
// available; Nova sees the hold and her failed payout. lunaAvail and
// novaAvail are the readers' earnings as the test worked them out.
func dashboardPayouts(t *testing.T, w *world, clk *clock.Fake, lunaAvail, novaAvail int64) {
	s, p := w.s, w.s.App.Payouts
	if lunaAvail < p.MinCents || novaAvail < p.MinCents {
		t.Fatalf("the readers earned %d and %d, less than a payout's minimum %d", lunaAvail, novaAvail, p.MinCents)
	}
	luna, admin := bearer(t, s, w.reader), bearer(t, s, w.admin)
	if d := dashboardOf(t, luna); d.Reader.NextPayout.State != payout.NextSetup || d.Reader.NextPayout.Last != nil {
		t.Fatalf("next payout before onboarding: %+v", d.Reader.NextPayout)
	}
	mustContain(t, page(luna, "/reader/dashboard"), `data-payout-state="setup"`, `<dd>Not set up</dd>`,
		`<a href="/reader/payouts">Set up payouts</a> · <span data-earned-available>`+ledger.FormatCents(lunaAvail)+`</span> available`)
	if a := dashboardOf(t, admin).Admin; a.PayoutsDue != 0 || a.PayoutsDueCents != 0 || a.PayoutsFailed != 0 {
		t.Fatalf("before anyone onboarded: %d payouts due for %d, %d failed", a.PayoutsDue, a.PayoutsDueCents, a.PayoutsFailed)
	}

	// Iris, a third reader, has less than the minimum.
	iris := s.CreateUser("iris@example.com", account.RoleReader)
	if _, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "dash-iris", Type: ledger.TypeAdjustment, Postings: []ledger.Posting{
		{Account: ledger.Adjustments(), Amount: -(p.MinCents - 1)}, {Account: ledger.Earnings(iris.ID), Amount: p.MinCents - 1}}}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []account.User{w.reader, w.pending, iris} {
		if _, err := p.Onboard(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := p.CompleteTestOnboarding(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	reversed := func() int64 {
		t.Helper()
		po, err := p.Pay(ctx, w.pending.ID, 0, w.admin.ID)
		if err != nil || po.State != payout.Paid || po.AmountCents != novaAvail {
			t.Fatalf("paying Nova: %+v %v", po, err)
		}
		reverseTransfer(t, w, clk, po)
		if po, err = p.Payout(ctx, po.ID); err != nil || po.State != payout.Failed {
			t.Fatalf("after the reversal: %+v %v", po, err)
		}
		return po.ID
	}
	reversed()
	clk.Advance(31 * 24 * time.Hour)
	recent := reversed()
	if err := p.HoldPayouts(ctx, w.admin.ID, w.pending.ID, "Checking a card dispute"); err != nil {
		t.Fatal(err)
	}

	// tokens made now, at the clock's new time
	luna, nova, admin := bearer(t, s, w.reader), bearer(t, s, w.pending), bearer(t, s, w.admin)
	a := dashboardOf(t, admin).Admin
	if a.PayoutsDue != 1 || a.PayoutsDueCents != lunaAvail || a.PayoutsFailed != 1 {
		t.Fatalf("%d payouts due for %d, %d failed; want 1 due for %d, 1 failed", a.PayoutsDue, a.PayoutsDueCents, a.PayoutsFailed, lunaAvail)
	}
	mustContain(t, page(admin, "/admin"), `data-stat="payouts-due">1<`, `data-stat="payouts-due-cents">`+ledger.FormatCents(lunaAvail)+` at the next run<`,
		`data-stat="payouts-failed">1<`, `href="/admin/payouts#payouts-failed"`, `in the last 30 days`)

	var settings struct {
		NextPayoutAt time.Time `json:"next_payout_at"`
	}
	res := luna.Do("GET", "/api/v1/me/payouts", nil)
	res.JSON(t, &settings)
	next := dashboardOf(t, luna).Reader.NextPayout
	if next.State != payout.NextScheduled || !next.At.Equal(settings.NextPayoutAt) || next.MinimumCents != p.MinCents || next.Last != nil {
		t.Fatalf("Luna's next payout %+v; want scheduled at %v", next, settings.NextPayoutAt)
	}
	day := settings.NextPayoutAt.Format("2 Jan 2006")
	mustContain(t, page(luna, "/reader/dashboard"), `data-payout-state="scheduled"`, `data-next-payout>`+day+`<`,
		`data-earned-available>`+ledger.FormatCents(lunaAvail)+`</span> will be paid`)
	mustContain(t, page(luna, "/reader/payouts"), `data-next-payout>`+day+`<`)

	next = dashboardOf(t, nova).Reader.NextPayout
	if next.State != payout.NextHeld || next.Last == nil || next.Last.ID != recent || next.Last.State != payout.Failed {
		t.Fatalf("Nova's next payout %+v; want held, the last payout %d failed", next, recent)
	}
	mustContain(t, page(nova, "/reader/dashboard"), `data-payout-state="held"`, `<dd>On hold</dd>`, `<a href="/reader/payouts">See why</a>`,
		fmt.Sprintf(`data-last-payout="%d">Last: %s, failed `, recent, ledger.FormatCents(novaAvail)))
}

// dashboardOf reads GET /api/v1/me/dashboard as c.
func dashboardOf(t *testing.T, c *apptest.Client) dashboardJSON {
	t.Helper()
	var d dashboardJSON
	res := c.Do("GET", "/api/v1/me/dashboard", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("dashboard: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &d)
	return d
}

// reverseTransfer delivers Stripe's signed transfer.reversed for the
// payout's transfer to the webhook, which gives the money back to the
// reader's earnings.
func reverseTransfer(t *testing.T, w *world, clk *clock.Fake, po payout.Payout) {
	t.Helper()
	payload, err := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_reversed_%d", po.ID), "object": "event", "type": "transfer.reversed",
		"api_version": stripe.APIVersion, "created": clk.Now().Unix(), "livemode": false, "data": map[string]any{"object": map[string]any{
			"id": po.StripeTransferID, "object": "transfer", "metadata": map[string]string{"soulseer_payout_id": id(po.ID)}}}})
	if err != nil {
		t.Fatal(err)
	}
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: w.s.App.Payments.WebhookSecret, Timestamp: clk.Now()})
	if res := w.as["anon"].Do("POST", "/stripe/webhook/", signed.Payload, "Stripe-Signature", signed.Header); res.Status != http.StatusOK {
		t.Fatalf("transfer.reversed: %d %s", res.Status, res.Body)
	}
}
