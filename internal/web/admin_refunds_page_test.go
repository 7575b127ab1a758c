package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// WAL-7: on the refunds page a wallet charge says how much of it went back
// to the wallet and offers Refund only while something is left. A refused
// refund — more than is left, or a second one from a page shown before the
// first — says why in the row of the charge it concerns, never under the
// adjustment form, and changes nothing; a refused card refund likewise
// stands in its top-up's row.
func TestRefundsPageShowsWhatWasRefunded_WAL7(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		admin := w.as["admin"]
		tu, err := s.App.Payments.CreateTopUp(ctx, w.client, 50_00, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Payments.PayTestCheckout(ctx, w.client, tu.CheckoutSessionID); err != nil {
			t.Fatal(err)
		}
		charge, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "reading:1:minute:0", Type: ledger.TypeReadingCharge,
			Postings: []ledger.Posting{{Account: ledger.Wallet(w.client.ID), Amount: -5_00}, {Account: ledger.Earnings(w.reader.ID), Amount: 3_50},
				{Account: ledger.PlatformRevenue(), Amount: 1_50}}, CauseType: "reading", CauseID: "1", Memo: "Text reading with Luna Vale"})
		if err != nil {
			t.Fatal(err)
		}
		chargeRow := regexp.MustCompile(`(?s)<tr data-transfer-id="` + id(charge.TransferID) + `".*?</tr>`)
		topUpRow := regexp.MustCompile(`(?s)<tr data-topup-id="` + id(tu.ID) + `".*?</tr>`)
		adjustForm := regexp.MustCompile(`(?s)<form [^>]*action="/admin/adjustments" id="adjust">.*?</form>`)
		part := func(re *regexp.Regexp, res apptest.Response) string {
			t.Helper()
			m := re.FindString(string(res.Body))
			if m == "" {
				t.Fatalf("the refunds page (%d) lacks %s:\n%s", res.Status, re, res.Body)
			}
			return m
		}
		show := func() apptest.Response { return page(admin, "/admin/refunds/?user="+id(w.client.ID)) }
		refund := func(amount, key string) apptest.Response {
			return admin.Form("/admin/refunds/", url.Values{"kind": {"wallet"}, "transfer_id": {id(charge.TransferID)}, "amount": {amount},
				"reason": {"dropped call"}, "key": {key}, "lookup": {id(w.client.ID)}})
		}
		const refundButton = `<button class="btn btn-ghost btn-sm" type="submit">Refund</button>`
		refused := func(res apptest.Response, says string) {
			t.Helper()
			if res.Status != http.StatusBadRequest {
				t.Fatalf("refund: %d, want 400", res.Status)
			}
			if row := part(chargeRow, res); !strings.Contains(row, says) {
				t.Fatalf("the charge's row does not say %q:\n%s", says, row)
			}
			if form := part(adjustForm, res); strings.Contains(form, "field-error") {
				t.Fatalf("the refused refund's error stands under the adjustment form:\n%s", form)
			}
			mustContain(t, res, `href="#charge-`+id(charge.TransferID)+`"`)
		}

		row := part(chargeRow, show())
		if !strings.Contains(row, refundButton) || strings.Contains(row, "Refunded") {
			t.Fatalf("a charge with nothing refunded:\n%s", row)
		}
		if res := refund("2", "k1"); res.Status != http.StatusSeeOther {
			t.Fatalf("refund $2: %d %s", res.Status, res.Body)
		}
		row = part(chargeRow, show())
		if !strings.Contains(row, "Refunded $2.00") || !strings.Contains(row, refundButton) {
			t.Fatalf("a charge with $2.00 of $5.00 refunded:\n%s", row)
		}

		before := fingerprint(t, s)
		refused(refund("4", "k2"), "At most $3.00 of this charge is left to refund.")
		if fingerprint(t, s) != before {
			t.Fatal("a refused refund changed the database")
		}
		if res := refund("", "k3"); res.Status != http.StatusSeeOther {
			t.Fatalf("refund the rest: %d %s", res.Status, res.Body)
		}
		row = part(chargeRow, show())
		if !strings.Contains(row, "Refunded $5.00") || strings.Contains(row, refundButton) || strings.Contains(row, "<form") {
			t.Fatalf("a charge refunded in full still offers a refund, or does not say so:\n%s", row)
		}
		// A second refund sent from the page as it was before.
		before = fingerprint(t, s)
		refused(refund("", "k4"), "At most $0.00 of this charge is left to refund.")
		if fingerprint(t, s) != before {
			t.Fatal("a refused refund changed the database")
		}

		// A card refund of more than the top-up holds: said in the top-up's row.
		res := admin.Form("/admin/refunds/", url.Values{"kind": {"card"}, "topup_id": {id(tu.ID)}, "amount": {"60"}, "reason": {"asked"},
			"key": {"k5"}, "lookup": {id(w.client.ID)}})
		if res.Status != http.StatusBadRequest {
			t.Fatalf("card refund of $60: %d", res.Status)
		}
		if row := part(topUpRow, res); !strings.Contains(row, "can go back to the card") {
			t.Fatalf("the top-up's row does not say why the card refund was refused:\n%s", row)
		}
		if strings.Contains(part(adjustForm, res), "field-error") {
			t.Fatal("the refused card refund's error stands under the adjustment form")
		}
		if fingerprint(t, s) != before {
			t.Fatal("a refused card refund changed the database")
		}
	})
}

// WAL-7: the refunds page finds a user by id, by email, or by part of their
// name or email, within the bound of every search: one match opens the
// user's refunds, an exact email wins over emails that contain it, several
// matches are listed to choose from, and a search longer than the bound is
// refused with a message.
func TestRefundsPageFindsUsersByName_WAL7(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		admin := w.as["admin"]
		create := func(name, email string) account.User {
			u, err := s.App.Accounts.Create(ctx, account.SignUpInput{Email: email, Password: apptest.Password, DisplayName: name}, account.RoleClient)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		morgana := create("Morgana Wright", "mw@example.com")
		lee := create("Morgan Lee", "lee@example.com")
		klee := create("Kim Klee", "klee@example.com")
		opened := func(q string, u account.User) {
			t.Helper()
			res := page(admin, "/admin/refunds/?user="+url.QueryEscape(q))
			mustContain(t, res, "data-admin-balance", u.DisplayName+` <small class="muted">`+u.Email+` · #`+id(u.ID))
			mustNotContain(t, res, `id="user-matches"`)
		}
		opened("wright", morgana)
		opened(" Morgana W ", morgana)
		opened("lee@example.com", lee)
		opened("KLEE@example.com", klee)
		opened(id(klee.ID), klee)

		res := page(admin, "/admin/refunds/?user=morgan")
		mustContain(t, res, `id="user-matches"`, `href="/admin/refunds/?user=`+id(morgana.ID)+`"`, `href="/admin/refunds/?user=`+id(lee.ID)+`"`)
		mustNotContain(t, res, "data-admin-balance", `href="/admin/refunds/?user=`+id(klee.ID)+`"`)

		res = page(admin, "/admin/refunds/?user=nobody-here")
		mustContain(t, res, "No user matches nobody-here.")
		mustNotContain(t, res, "data-admin-balance", `id="user-matches"`)

		res = page(admin, "/admin/refunds/?user="+strings.Repeat("m", 101))
		if res.Status != http.StatusOK {
			t.Fatalf("an over-long search: %d", res.Status)
		}
		mustContain(t, res, "Search with at most 100 characters.")
		mustNotContain(t, res, "data-admin-balance", `id="user-matches"`)
	})
}
