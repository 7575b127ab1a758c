package reader_test

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/reader"
)

// sample is a sample reading long enough to apply with.
var sample = strings.Repeat("The Star card speaks of hope returning after a hard season. ", 5)

func application(name string) reader.ApplicationInput {
	return reader.ApplicationInput{DisplayName: name, Specialties: []string{"tarot", "Love", "tarot"}, YearsExperience: 7,
		Languages: []string{"English", " Spanish "}, Bio: "I have read tarot for seven years, gently and honestly, for people at a crossroads.",
		SampleReading: sample, KYCConsent: true}
}

// lastMail returns the newest email to addr.
func (f *fixture) lastMail(t *testing.T, addr string) string {
	t.Helper()
	mails, err := f.readers.Mail.Recent(ctx, addr, 1)
	if err != nil || len(mails) == 0 {
		t.Fatalf("no email to %s: %v", addr, err)
	}
	return mails[0].Subject + "\n" + mails[0].Body
}

// ACC-8: a client's application needs a name, at least one specialty from
// the catalog and one language, a bio, a sample reading of reasonable
// length and consent to an identity check; only clients apply, one
// application waiting at a time, and the applicant is told it arrived.
func TestApply_ACC8(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		cleo := f.user(t, "Cleo", account.RoleClient)

		_, err := f.readers.Apply(ctx, cleo, reader.ApplicationInput{})
		wantFields(t, err, "display_name", "specialties", "languages", "bio", "sample_reading", "kyc_consent")
		bad := application("Cleo Star")
		bad.Specialties, bad.YearsExperience, bad.SampleReading = []string{"crystal-balls"}, 81, strings.Repeat("x", reader.MaxSampleReading+1)
		_, err = f.readers.Apply(ctx, cleo, bad)
		wantFields(t, err, "specialties", "years_experience", "sample_reading")
		for _, role := range []account.Role{account.RoleReader, account.RoleAdmin} {
			_, err = f.readers.Apply(ctx, f.user(t, "Already"+string(role), role), application("X"))
			wantCode(t, err, apperr.Conflict)
		}
		if n := count(t, d, `SELECT count(*) FROM reader_applications`) + count(t, d, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("refused applications left %d rows and emails", n)
		}
		_, err = f.readers.MyApplication(ctx, cleo.ID)
		wantCode(t, err, apperr.NotFound)

		a, err := f.readers.Apply(ctx, cleo, application("  Cleo   Star "))
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != reader.ApplicationPending || a.DisplayName != "Cleo Star" || !slices.Equal(a.Specialties, []string{"tarot", "love"}) ||
			!slices.Equal(a.Languages, []string{"English", "Spanish"}) || a.Email != cleo.Email || !a.KYCConsentAt.Equal(t0) || a.SampleReading != strings.TrimSpace(sample) {
			t.Fatalf("application = %+v", a)
		}
		if got := f.lastMail(t, cleo.Email); !strings.Contains(got, "received your application") {
			t.Fatalf("the applicant was told %q", got)
		}
		if mine, err := f.readers.MyApplication(ctx, cleo.ID); err != nil || mine.ID != a.ID {
			t.Fatalf("own application = %+v %v", mine, err)
		}
		_, err = f.readers.Apply(ctx, cleo, application("Cleo Again"))
		wantCode(t, err, apperr.Conflict)
		if n := count(t, d, `SELECT count(*) FROM reader_applications`); n != 1 {
			t.Fatalf("%d applications after applying twice, want 1", n)
		}
		if u, _ := f.accounts.Get(ctx, cleo.ID); u.Role != account.RoleClient {
			t.Fatalf("applying made Cleo a %s", u.Role)
		}
		_, err = f.readers.Applications(ctx, "maybe")
		wantFields(t, err, "status")
	})
}

// ACC-8 SEC-4: rejecting needs a reason and an admin; the applicant stays
// a client, is told why by email and may apply again; approving makes them
// a verified reader with their profile filled from the application, found
// by clients once they set a rate. Each decision is made once, whoever else
// tries at the same moment, and audited.
func TestDecideApplication_ACC8(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		cleo := f.user(t, "Cleo", account.RoleClient)
		first, err := f.readers.Apply(ctx, cleo, application("Cleo Star"))
		if err != nil {
			t.Fatal(err)
		}
		if q, err := f.readers.Applications(ctx, reader.ApplicationPending); err != nil || len(q) != 1 || q[0].ID != first.ID {
			t.Fatalf("queue = %+v %v", q, err)
		}

		_, err = f.readers.RejectApplication(ctx, f.admin, first.ID, "  ")
		wantFields(t, err, "reason")
		_, err = f.readers.RejectApplication(ctx, cleo, first.ID, "No")
		wantCode(t, err, apperr.Forbidden)
		_, err = f.readers.ApproveApplication(ctx, cleo, first.ID)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.readers.ApproveApplication(ctx, f.admin, 999999)
		wantCode(t, err, apperr.NotFound)

		rejected, err := f.readers.RejectApplication(ctx, f.admin, first.ID, "Please write a longer sample reading.")
		if err != nil {
			t.Fatal(err)
		}
		if rejected.Status != reader.ApplicationRejected || rejected.Reason != "Please write a longer sample reading." || !rejected.DecidedAt.Equal(t0) {
			t.Fatalf("rejected = %+v", rejected)
		}
		if got := f.lastMail(t, cleo.Email); !strings.Contains(got, "Please write a longer sample reading.") || !strings.Contains(got, "/become-a-reader") {
			t.Fatalf("the applicant was told %q", got)
		}
		if u, _ := f.accounts.Get(ctx, cleo.ID); u.Role != account.RoleClient {
			t.Fatalf("a rejected applicant is a %s", u.Role)
		}
		_, err = f.readers.ApproveApplication(ctx, f.admin, first.ID)
		wantCode(t, err, apperr.Conflict)
		if q, _ := f.readers.Applications(ctx, reader.ApplicationPending); len(q) != 0 {
			t.Fatalf("the rejected application still waits: %+v", q)
		}

		// Applying again after a rejection is allowed; two admins approving
		// at once approve it once.
		second, err := f.readers.Apply(ctx, cleo, application("Cleo Starling"))
		if err != nil {
			t.Fatal(err)
		}
		other := f.user(t, "Otto", account.RoleAdmin)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, admin := range []account.User{f.admin, other} {
			wg.Go(func() { _, errs[i] = f.readers.ApproveApplication(ctx, admin, second.ID) })
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) || apperr.CodeOf(firstErr(errs)) != apperr.Conflict {
			t.Fatalf("two approvals at once: %v", errs)
		}
		approved, _ := f.readers.MyApplication(ctx, cleo.ID)
		if approved.ID != second.ID || approved.Status != reader.ApplicationApproved {
			t.Fatalf("after approval: %+v", approved)
		}
		u, _ := f.accounts.Get(ctx, cleo.ID)
		if u.Role != account.RoleReader || u.DisplayName != "Cleo Starling" {
			t.Fatalf("the approved applicant is %+v", u)
		}
		p, err := f.readers.Get(ctx, account.User{}, cleo.ID)
		if err != nil {
			t.Fatalf("clients cannot see the approved reader: %v", err)
		}
		if !p.IsVerified || p.KYCStatus != reader.KYCApproved || p.Bio != application("").Bio || p.YearsExperience != 7 ||
			!slices.Equal(p.Specialties, []string{"love", "tarot"}) || !slices.Equal(p.Languages, []string{"English", "Spanish"}) || p.Rates.Min() != 0 {
			t.Fatalf("the new reader's profile = %+v", p)
		}
		if got := f.lastMail(t, cleo.Email); !strings.Contains(got, "approved") || !strings.Contains(got, "/reader/dashboard") {
			t.Fatalf("the applicant was told %q", got)
		}
		if _, n, _ := f.readers.List(ctx, reader.Filter{Query: "Cleo"}); n != 0 {
			t.Fatal("the directory lists a reader who offers nothing yet")
		}
		if _, err := f.readers.UpdateProfile(ctx, cleo.ID, reader.ProfileInput{DisplayName: "Cleo Starling", Rates: reader.RatesInput{Text: cents(250)}}); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := f.readers.List(ctx, reader.Filter{Query: "Cleo"}); n != 1 {
			t.Fatal("the directory does not list the new reader once they set a rate")
		}
		_, err = f.readers.Apply(ctx, u, application("Cleo Again"))
		wantCode(t, err, apperr.Conflict)

		// Both decisions reach the applicant in the app too, the rejection
		// with its reason.
		told, err := f.readers.Notify.List(ctx, cleo.ID, notify.ListFilter{})
		if err != nil || len(told) != 2 || told[0].Kind != notify.KindApplication || told[0].URL != "/reader/dashboard" ||
			told[1].Body != "Please write a longer sample reading." || told[1].URL != "/become-a-reader" {
			t.Fatalf("the applicant's notifications = %+v %v", told, err)
		}
		for action, id := range map[string]int64{"reader.application_reject": first.ID, "reader.application_approve": second.ID} {
			es, err := audit.List(ctx, d.Read(), audit.Filter{Action: action})
			if err != nil || len(es) != 1 || es[0].ObjectID != id64(id) || (es[0].ActorID != f.admin.ID && es[0].ActorID != other.ID) {
				t.Fatalf("%s audit = %+v %v", action, es, err)
			}
		}
	})
}

// ACC-8: an application approved for someone who is no longer a client
// (an admin promoted them meanwhile) is refused and stays waiting.
func TestApproveApplicationOfReader_ACC8(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		cleo := f.user(t, "Cleo", account.RoleClient)
		a, err := f.readers.Apply(ctx, cleo, application("Cleo Star"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.accounts.SetRole(ctx, f.admin, cleo.ID, account.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		_, err = f.readers.ApproveApplication(ctx, f.admin, a.ID)
		wantCode(t, err, apperr.Conflict)
		if got, _ := f.readers.MyApplication(ctx, cleo.ID); got.Status != reader.ApplicationPending {
			t.Fatalf("the refused approval left the application %s", got.Status)
		}
		if u, _ := f.accounts.Get(ctx, cleo.ID); u.Role != account.RoleAdmin {
			t.Fatalf("the refused approval made Cleo a %s", u.Role)
		}
	})
}

// firstErr returns the first error of errs that is not nil.
func firstErr(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func id64(n int64) string { return strconv.FormatInt(n, 10) }

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
