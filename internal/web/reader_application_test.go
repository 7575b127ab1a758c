package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/notify"
)

// ACC-8: a client applies from "Become a reader" (a refused field is shown
// beside itself and nothing is stored), sees the application waiting, an
// admin rejects it with a reason the client then reads on the page and in
// the notification centre, the client applies again and the admin's
// approval makes them a reader who reaches the reader dashboard. Each
// decision is audited.
func TestBecomeAReader_ACC8(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		hopeful := s.CreateUser("iris@example.com", account.RoleClient)
		as := bearer(t, s, hopeful)
		good := url.Values{"display_name": {"Iris Dawn"}, "specialties": {"tarot", "dreams"}, "years_experience": {"6"}, "languages": {"English, French"},
			"bio":            {"I have read tarot and dreams for six years, for people who want a clear, kind answer."},
			"sample_reading": {strings.Repeat("The Moon card asks you to trust what you feel before you can see it. ", 4)}, "kyc_consent": {"yes"}}
		with := func(k, v string) url.Values {
			f := url.Values{}
			for key, vs := range good {
				f[key] = vs
			}
			f.Set(k, v)
			return f
		}
		if res := as.Do("GET", "/become-a-reader", nil); res.Status != http.StatusOK || !strings.Contains(string(res.Body), `name="kyc_consent"`) {
			t.Fatalf("the page: %d", res.Status)
		}
		for _, bad := range []struct {
			form        url.Values
			field, says string
		}{
			{with("kyc_consent", ""), "kyc_consent", "Agree to the identity check"},
			{with("sample_reading", "Too short."), "sample_reading", "Write a sample reading of 200 to 4000 characters"},
			{with("years_experience", "six"), "years_experience", "Enter a whole number of years."},
			{with("bio", "Hi"), "bio", "at least 50 characters"},
		} {
			before := fingerprint(t, s)
			res := as.Form("/become-a-reader", bad.form)
			if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), bad.says) || !strings.Contains(string(res.Body), "Iris Dawn") {
				t.Errorf("%s: %d, want 400 saying %q beside the typed values: %.300s", bad.field, res.Status, bad.says, res.Body)
			}
			if fingerprint(t, s) != before {
				t.Errorf("a refused %s changed the database", bad.field)
			}
		}
		if res := w.as["reader"].Form("/become-a-reader", good); res.Status != http.StatusConflict {
			t.Fatalf("a reader applied: %d", res.Status)
		}

		if res := as.Form("/become-a-reader", good); res.Status != http.StatusSeeOther {
			t.Fatalf("apply: %d %.300s", res.Status, res.Body)
		}
		if res := as.Do("GET", "/become-a-reader", nil); !strings.Contains(string(res.Body), "Waiting for review") || strings.Contains(string(res.Body), `name="kyc_consent"`) {
			t.Fatal("the page does not say the application waits, or still offers the form")
		}
		if res := w.as["admin"].Do("GET", "/admin", nil); !strings.Contains(string(res.Body), `<dd data-applications>1</dd>`) || !strings.Contains(string(res.Body), "Iris Dawn") {
			t.Fatal("the admin dashboard does not count the waiting application") // DASH-A
		}
		queue := w.as["admin"].Do("GET", "/admin/applications", nil)
		if queue.Status != http.StatusOK || !strings.Contains(string(queue.Body), "Iris Dawn") || !strings.Contains(string(queue.Body), "The Moon card asks you") {
			t.Fatalf("the queue (%d) does not show the application", queue.Status)
		}
		apps, err := s.App.Readers.Applications(ctx, "pending")
		if err != nil || len(apps) != 1 {
			t.Fatalf("pending = %+v %v", apps, err)
		}
		first := id(apps[0].ID)

		before := fingerprint(t, s)
		res := w.as["admin"].Form("/admin/applications/"+first+"/reject", url.Values{"reason": {"  "}})
		if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "Tell the applicant why") {
			t.Fatalf("reject without a reason: %d", res.Status)
		}
		if fingerprint(t, s) != before {
			t.Fatal("a rejection without a reason changed the database")
		}
		if res := w.as["admin"].Form("/admin/applications/"+first+"/reject", url.Values{"reason": {"Please show us a longer sample reading."}}); res.Status != http.StatusSeeOther {
			t.Fatalf("reject: %d", res.Status)
		}
		if res := as.Do("GET", "/become-a-reader", nil); !strings.Contains(string(res.Body), "Please show us a longer sample reading.") || !strings.Contains(string(res.Body), `name="kyc_consent"`) {
			t.Fatal("the rejected applicant does not see the reason and the form to apply again")
		}
		if res := as.Do("GET", "/become-a-reader", nil); !strings.Contains(string(res.Body), `value="tarot" checked`) || !strings.Contains(string(res.Body), "The Moon card asks you") {
			t.Fatal("the form to apply again does not start from what the applicant sent")
		}
		told, err := s.App.Notify.List(ctx, hopeful.ID, notify.ListFilter{})
		if err != nil || len(told) != 1 || told[0].Kind != notify.KindApplication || told[0].Body != "Please show us a longer sample reading." {
			t.Fatalf("in-app notifications = %+v %v", told, err)
		}

		if res := as.Form("/become-a-reader", good); res.Status != http.StatusSeeOther {
			t.Fatalf("apply again: %d", res.Status)
		}
		apps, _ = s.App.Readers.Applications(ctx, "pending")
		if len(apps) != 1 {
			t.Fatalf("pending = %+v", apps)
		}
		if res := w.as["admin"].Form("/admin/applications/"+id(apps[0].ID)+"/approve", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("approve: %d", res.Status)
		}
		if got := role(t, s, hopeful.ID); got != account.RoleReader {
			t.Fatalf("the approved applicant is a %s", got)
		}
		if res := as.Do("GET", "/reader/dashboard", nil); res.Status != http.StatusOK {
			t.Fatalf("the new reader's dashboard: %d", res.Status)
		}
		for _, action := range []string{"reader.application_reject", "reader.application_approve"} {
			if es, err := audit.List(ctx, s.App.DB.Read(), audit.Filter{Action: action}); err != nil || len(es) != 1 || es[0].ActorID != w.admin.ID {
				t.Errorf("%s audit = %+v %v", action, es, err)
			}
		}
		if res := w.as["admin"].Form("/admin/applications/"+id(apps[0].ID)+"/approve", nil); res.Status != http.StatusConflict {
			t.Fatalf("approving twice: %d", res.Status)
		}
	})
}
