package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/payment"
)

// WAL-8 SEC-4: on the refunds page an admin's credit to their own wallet
// becomes a request that moves no money; it is listed to the other admins
// with Approve and Reject, and to its requester as waiting; the requester
// cannot approve it; another admin's approval, clicked twice, credits once.
// A debit of one's own wallet still moves at once.
func TestSelfCreditOnRefundsPage_WAL8_SEC4(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		ada, bo := w.as["admin"], bearer(t, s, s.CreateUser("max@example.com", account.RoleAdmin))
		credit := url.Values{"user_id": {id(w.admin.ID)}, "direction": {"credit"}, "amount": {"12.50"}, "reason": {"conference travel"}, "key": {"k1"}}
		if res := ada.Form("/admin/adjustments", credit); res.Status != http.StatusSeeOther {
			t.Fatalf("self-credit form: %d %s", res.Status, res.Body)
		}
		reqs, err := s.App.Payments.AdjustmentRequests(ctx, payment.AdjustPending, 0)
		if err != nil || len(reqs) != 1 || reqs[0].AmountCents != 1250 || adminWallet(t, w) != 0 {
			t.Fatalf("pending = %+v %v, admin wallet %d; want one request of 1250 and no money moved", reqs, err, adminWallet(t, w))
		}
		decide := "/admin/adjustments/" + id(reqs[0].ID) + "/decide"

		own := string(ada.Do("GET", "/admin/refunds/", nil).Body)
		if !strings.Contains(own, `data-adjustment-request="`+id(reqs[0].ID)+`"`) || !strings.Contains(own, "Waiting for another admin") || strings.Contains(own, decide) {
			t.Fatalf("the requester's refunds page:\n%s", own)
		}
		other := string(bo.Do("GET", "/admin/refunds/", nil).Body)
		if !strings.Contains(other, `action="`+decide+`"`) || !strings.Contains(other, "conference travel") {
			t.Fatalf("another admin's refunds page lacks the decision:\n%s", other)
		}

		if res := ada.Form(decide, url.Values{"decision": {"approve"}}); res.Status != http.StatusForbidden || adminWallet(t, w) != 0 {
			t.Fatalf("the requester approved: %d, wallet %d", res.Status, adminWallet(t, w))
		}
		for range 2 {
			if res := bo.Form(decide, url.Values{"decision": {"approve"}}); res.Status != http.StatusSeeOther {
				t.Fatalf("approve: %d %s", res.Status, res.Body)
			}
		}
		if b := adminWallet(t, w); b != 1250 {
			t.Fatalf("admin wallet after two approval clicks = %d, want 1250", b)
		}
		if page := string(bo.Do("GET", "/admin/refunds/", nil).Body); strings.Contains(page, decide) {
			t.Fatal("an approved request is still waiting on the refunds page")
		}

		debit := url.Values{"user_id": {id(w.admin.ID)}, "direction": {"debit"}, "amount": {"2.50"}, "reason": {"overpaid"}, "key": {"k2"}}
		if res := ada.Form("/admin/adjustments", debit); res.Status != http.StatusSeeOther || adminWallet(t, w) != 1000 {
			t.Fatalf("debit of one's own wallet: %d, wallet %d, want 1000", res.Status, adminWallet(t, w))
		}
	})
}
