package reader_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/filestore"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/realtime"
)

var ctx = context.Background()

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fixture is a reader service with its account service and a fake clock.
type fixture struct {
	d        *db.DB
	clk      *clock.Fake
	accounts *account.Service
	readers  *reader.Service
	admin    account.User
}

func setup(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	clk := clock.NewFake(t0)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	files, err := filestore.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { files.Close() })
	mailer := &mail.Mailer{DB: d, Clock: clk, Log: log}
	f := &fixture{
		d: d, clk: clk,
		accounts: &account.Service{DB: d, Clock: clk, Mail: mailer, Files: files, Log: log, SessionTTL: time.Hour},
		readers: &reader.Service{DB: d, Clock: clk, Mail: mailer, BaseURL: "https://soulseer.test",
			Notify: &notify.Service{DB: d, Clock: clk, Hub: realtime.NewHub(log, nil), Mail: mailer, Log: log}},
	}
	f.admin = f.user(t, "admin", account.RoleAdmin)
	return f
}

// user creates an account; a reader gets an (unverified) profile.
func (f *fixture) user(t *testing.T, name string, role account.Role) account.User {
	t.Helper()
	u, err := f.accounts.Create(ctx, account.SignUpInput{Email: strings.ToLower(name) + "@example.com", Password: "correct-horse-battery", DisplayName: name}, role)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func cents(v int64) *int64 { return &v }

func ptr[T any](v T) *T { return &v }

// listed describes one directory reader for a fixture: its profile edit and
// how it stands.
type listed struct {
	name      string
	specs     []string
	rates     reader.RatesInput
	online    bool
	verified  bool
	ratingSum int64
	ratings   int64
	readings  int64
}

// directory makes readers in order, a minute apart, and returns their ids
// by name.
func (f *fixture) directory(t *testing.T, rs []listed) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for _, r := range rs {
		f.clk.Advance(time.Minute)
		u := f.user(t, r.name, account.RoleReader)
		specs := r.specs
		if _, err := f.readers.UpdateProfile(ctx, u.ID, reader.ProfileInput{DisplayName: r.name, Specialties: &specs, Rates: r.rates}); err != nil {
			t.Fatalf("profile of %s: %v", r.name, err)
		}
		if r.online {
			if _, err := f.readers.SetStatus(ctx, u.ID, reader.Online); err != nil {
				t.Fatal(err)
			}
		}
		if r.verified {
			if _, err := f.readers.SetVerified(ctx, f.admin, u.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.d.Writer.ExecContext(ctx, `UPDATE reader_profiles SET rating_sum = $1, rating_count = $2, readings_count = $3 WHERE user_id = $4`,
			r.ratingSum, r.ratings, r.readings, u.ID); err != nil {
			t.Fatal(err)
		}
		ids[r.name] = u.ID
	}
	return ids
}

func names(ps []reader.Profile) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.DisplayName)
	}
	return out
}

func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error = %v (code %q), want %q", err, got, code)
	}
	return apperr.As(err)
}

func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	e := wantCode(t, err, apperr.Invalid)
	for _, f := range fields {
		if e.Fields[f] == "" {
			t.Fatalf("fields = %v, want a message for %q", e.Fields, f)
		}
	}
	if len(e.Fields) != len(fields) {
		t.Fatalf("fields = %v, want exactly %v", e.Fields, fields)
	}
}

// RDR-1 RDR-2: a reader edits their profile; rates are per modality and a
// modality left out is switched off; bad values name their fields and change
// nothing.
func TestUpdateProfile_RDR1_RDR2(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		u := f.user(t, "Luna", account.RoleReader)
		p, err := f.readers.UpdateProfile(ctx, u.ID, reader.ProfileInput{
			DisplayName:     "  Luna   Vale ",
			Tagline:         ptr("  Tarot with heart  "),
			Bio:             ptr("Line one\r\nLine two  "),
			Specialties:     &[]string{" Tarot", "love", "tarot"},
			YearsExperience: ptr(12),
			Languages:       &[]string{"English", " ", "Spanish,  Portuguese"},
			Rates:           reader.RatesInput{Text: cents(199), Voice: cents(399), Video: cents(599)},
		})
		if err != nil {
			t.Fatal(err)
		}
		if p.DisplayName != "Luna Vale" || p.Tagline != "Tarot with heart" || p.Bio != "Line one\nLine two" || p.YearsExperience != 12 ||
			!slices.Equal(p.Specialties, []string{"love", "tarot"}) || !slices.Equal(p.Languages, []string{"English", "Spanish Portuguese"}) ||
			p.Rates != (reader.Rates{Text: 199, Voice: 399, Video: 599}) {
			t.Fatalf("profile = %+v", p)
		}
		if got, _ := f.accounts.Get(ctx, u.ID); got.DisplayName != "Luna Vale" {
			t.Fatalf("the account's display name is %q", got.DisplayName)
		}

		// Only voice given: text and video are switched off; other nil
		// fields keep their values.
		p, err = f.readers.UpdateProfile(ctx, u.ID, reader.ProfileInput{DisplayName: "Luna Vale", Rates: reader.RatesInput{Voice: cents(450)}})
		if err != nil {
			t.Fatal(err)
		}
		if p.Rates != (reader.Rates{Voice: 450}) || !slices.Equal(p.Rates.Offered(), []reader.Modality{reader.Voice}) || p.Rates.Min() != 450 {
			t.Fatalf("rates = %+v", p.Rates)
		}
		if p.Tagline != "Tarot with heart" || p.YearsExperience != 12 || len(p.Specialties) != 2 {
			t.Fatalf("nil fields were not kept: %+v", p)
		}
		var minRate, text any
		if err := d.Read().QueryRowContext(ctx, `SELECT min_rate_cents, rate_text_cents FROM reader_profiles WHERE user_id = $1`, u.ID).Scan(&minRate, &text); err != nil {
			t.Fatal(err)
		}
		if text != nil {
			t.Fatalf("switched-off text rate stored as %v, want NULL", text)
		}
		// Every modality off: the reader offers nothing.
		p, err = f.readers.UpdateProfile(ctx, u.ID, reader.ProfileInput{DisplayName: "Luna Vale"})
		if err != nil || p.Rates != (reader.Rates{}) || p.Rates.Min() != 0 {
			t.Fatalf("all off = %+v %v", p.Rates, err)
		}

		before, _ := f.readers.Get(ctx, u, u.ID)
		bad := []struct {
			in     reader.ProfileInput
			fields []string
		}{
			{reader.ProfileInput{DisplayName: ""}, []string{"display_name"}},
			{reader.ProfileInput{DisplayName: "L", Rates: reader.RatesInput{Text: cents(reader.MinRateCents - 1)}}, []string{"rates.text"}},
			{reader.ProfileInput{DisplayName: "L", Rates: reader.RatesInput{Voice: cents(0)}}, []string{"rates.voice"}},
			{reader.ProfileInput{DisplayName: "L", Rates: reader.RatesInput{Video: cents(reader.MaxRateCents + 1), Text: cents(-5)}}, []string{"rates.video", "rates.text"}},
			{reader.ProfileInput{DisplayName: "L", Specialties: &[]string{"tarot", "crystal-balls"}}, []string{"specialties"}},
			{reader.ProfileInput{DisplayName: "L", Specialties: &[]string{"tarot", "astrology", "mediumship", "clairvoyance", "love", "career", "dreams"}}, []string{"specialties"}},
			{reader.ProfileInput{DisplayName: "L", YearsExperience: ptr(-1)}, []string{"years_experience"}},
			{reader.ProfileInput{DisplayName: "L", YearsExperience: ptr(reader.MaxYearsExpValue + 1)}, []string{"years_experience"}},
			{reader.ProfileInput{DisplayName: "L", Tagline: ptr(strings.Repeat("t", reader.MaxTaglineLen+1))}, []string{"tagline"}},
			{reader.ProfileInput{DisplayName: "L", Bio: ptr(strings.Repeat("b", reader.MaxBioLen+1))}, []string{"bio"}},
			{reader.ProfileInput{DisplayName: "L", Languages: &[]string{strings.Repeat("x", 31)}}, []string{"languages"}},
			{reader.ProfileInput{DisplayName: "L", Languages: &[]string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}}, []string{"languages"}},
		}
		for _, b := range bad {
			_, err := f.readers.UpdateProfile(ctx, u.ID, b.in)
			wantFields(t, err, b.fields...)
		}
		after, _ := f.readers.Get(ctx, u, u.ID)
		if after.DisplayName != before.DisplayName || after.UpdatedAt != before.UpdatedAt {
			t.Fatalf("refused edits changed the profile: %+v", after)
		}

		// Only readers have profiles to edit.
		client := f.user(t, "Cleo", account.RoleClient)
		_, err = f.readers.UpdateProfile(ctx, client.ID, reader.ProfileInput{DisplayName: "Cleo"})
		wantCode(t, err, apperr.NotFound)
	})
}

// RDR-4 ACC-5: the directory filters by specialty, modality, price (of the
// chosen modality, else the cheapest), online and name; sorts every way;
// pages; and never lists unverified readers or readers who offer nothing.
func TestDirectory_RDR4_ACC5(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ids := f.directory(t, []listed{
			{name: "Aurora", specs: []string{"tarot", "love"}, rates: reader.RatesInput{Text: cents(199), Voice: cents(399)}, online: true, verified: true, ratingSum: 10, ratings: 2, readings: 10},
			{name: "Blaise", specs: []string{"astrology"}, rates: reader.RatesInput{Voice: cents(250)}, verified: true, ratingSum: 8, ratings: 2, readings: 50},
			{name: "Celeste", specs: []string{"tarot"}, rates: reader.RatesInput{Text: cents(500), Video: cents(900)}, online: true, verified: true},
			{name: "Dorian", specs: []string{"tarot"}, rates: reader.RatesInput{Text: cents(100)}, online: true, ratingSum: 5, ratings: 1, readings: 99},
			{name: "Ember", specs: []string{"tarot"}, verified: true, online: true},
		})
		list := func(flt reader.Filter) ([]string, int) {
			t.Helper()
			ps, total, err := f.readers.List(ctx, flt)
			if err != nil {
				t.Fatalf("list %+v: %v", flt, err)
			}
			return names(ps), total
		}
		cases := []struct {
			name string
			flt  reader.Filter
			want []string
		}{
			{"everyone", reader.Filter{}, []string{"Aurora", "Celeste", "Blaise"}},
			{"specialty", reader.Filter{Specialty: "tarot"}, []string{"Aurora", "Celeste"}},
			{"specialty none", reader.Filter{Specialty: "pets"}, []string{}},
			{"modality voice", reader.Filter{Modality: reader.Voice}, []string{"Aurora", "Blaise"}},
			{"modality video", reader.Filter{Modality: reader.Video}, []string{"Celeste"}},
			{"cheapest in range", reader.Filter{MinCents: 200, MaxCents: 450}, []string{"Blaise"}},
			{"cheapest at most", reader.Filter{MaxCents: 199}, []string{"Aurora"}},
			{"cheapest at least", reader.Filter{MinCents: 250}, []string{"Celeste", "Blaise"}},
			{"voice in range", reader.Filter{Modality: reader.Voice, MinCents: 300, MaxCents: 450}, []string{"Aurora"}},
			{"text at least", reader.Filter{Modality: reader.Text, MinCents: 200}, []string{"Celeste"}},
			{"online", reader.Filter{OnlineOnly: true}, []string{"Aurora", "Celeste"}},
			{"online voice", reader.Filter{OnlineOnly: true, Modality: reader.Voice}, []string{"Aurora"}},
			{"name", reader.Filter{Query: "  cEL "}, []string{"Celeste"}},
			{"name wildcard is literal", reader.Filter{Query: "%"}, []string{"Aurora", "Celeste", "Blaise"}},
			{"name underscore is literal", reader.Filter{Query: "a_r"}, []string{}},
			{"sort recommended", reader.Filter{Sort: reader.SortRecommended}, []string{"Aurora", "Celeste", "Blaise"}},
			{"sort rating", reader.Filter{Sort: reader.SortRating}, []string{"Aurora", "Blaise", "Celeste"}},
			{"sort price low", reader.Filter{Sort: reader.SortPriceLow}, []string{"Aurora", "Blaise", "Celeste"}},
			{"sort price high", reader.Filter{Sort: reader.SortPriceHigh}, []string{"Celeste", "Blaise", "Aurora"}},
			{"sort price of modality", reader.Filter{Modality: reader.Text, Sort: reader.SortPriceHigh}, []string{"Celeste", "Aurora"}},
			{"sort popular", reader.Filter{Sort: reader.SortPopular}, []string{"Blaise", "Aurora", "Celeste"}},
			{"sort newest", reader.Filter{Sort: reader.SortNewest}, []string{"Celeste", "Blaise", "Aurora"}},
			{"page 1", reader.Filter{Sort: reader.SortPriceLow, Limit: 2}, []string{"Aurora", "Blaise"}},
			{"page 2", reader.Filter{Sort: reader.SortPriceLow, Limit: 2, Offset: 2}, []string{"Celeste"}},
			{"past the end", reader.Filter{Offset: 10}, []string{}},
			{"admin view", reader.Filter{IncludeUnverified: true, Sort: reader.SortNewest}, []string{"Dorian", "Celeste", "Blaise", "Aurora"}},
		}
		for _, c := range cases {
			got, total := list(c.flt)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
			if c.flt.Limit == 0 && c.flt.Offset == 0 && total != len(c.want) {
				t.Errorf("%s: total %d, want %d", c.name, total, len(c.want))
			}
			if c.name == "page 2" && total != 3 {
				t.Errorf("paged total %d, want 3", total)
			}
		}
		ps, _, _ := f.readers.List(ctx, reader.Filter{Specialty: "tarot", Sort: reader.SortPriceLow})
		if len(ps) != 2 || !slices.Equal(ps[0].Specialties, []string{"love", "tarot"}) || ps[0].Rates != (reader.Rates{Text: 199, Voice: 399}) || ps[0].Status != reader.Online || ps[0].Rating() != 5 {
			t.Fatalf("listed profile = %+v", ps)
		}

		for _, bad := range []struct {
			flt   reader.Filter
			field string
		}{
			{reader.Filter{Specialty: "crystals"}, "specialty"},
			{reader.Filter{Modality: "smoke"}, "modality"},
			{reader.Filter{MinCents: -1}, "min_rate"},
			{reader.Filter{MinCents: 500, MaxCents: 100}, "max_rate"},
			{reader.Filter{Sort: "random"}, "sort"},
		} {
			_, _, err := f.readers.List(ctx, bad.flt)
			wantFields(t, err, bad.field)
		}

		// ACC-5: unverified readers are invisible to clients and visitors,
		// visible to themselves and admins.
		client := f.user(t, "Carol", account.RoleClient)
		dorian, _ := f.accounts.Get(ctx, ids["Dorian"])
		for _, viewer := range []account.User{{}, client} {
			_, err := f.readers.Get(ctx, viewer, ids["Dorian"])
			wantCode(t, err, apperr.NotFound)
		}
		for _, viewer := range []account.User{dorian, f.admin} {
			if p, err := f.readers.Get(ctx, viewer, ids["Dorian"]); err != nil || p.IsVerified {
				t.Fatalf("%s viewing the unverified reader: %+v %v", viewer.Role, p, err)
			}
		}
		if _, err := f.readers.Get(ctx, client, ids["Aurora"]); err != nil {
			t.Fatalf("client viewing a verified reader: %v", err)
		}
		_, err := f.readers.Get(ctx, f.admin, client.ID)
		wantCode(t, err, apperr.NotFound)
		pending, err := f.readers.PendingVerification(ctx)
		if err != nil || !slices.Equal(names(pending), []string{"Dorian"}) {
			t.Fatalf("pending = %v %v", names(pending), err)
		}

		// A demoted reader leaves the directory even though the profile stays.
		if _, err := f.accounts.SetRole(ctx, f.admin, ids["Blaise"], account.RoleClient); err != nil {
			t.Fatal(err)
		}
		if got, _ := list(reader.Filter{}); !slices.Equal(got, []string{"Aurora", "Celeste"}) {
			t.Fatalf("after demotion: %v", got)
		}
	})
}

// RDR-6: favourites are idempotent both ways, hold only verified readers and
// list readers whatever they offer now.
func TestFavorites_RDR6(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ids := f.directory(t, []listed{
			{name: "Aurora", rates: reader.RatesInput{Text: cents(199)}, verified: true},
			{name: "Blaise", rates: reader.RatesInput{Voice: cents(250)}, verified: true},
			{name: "Dorian", rates: reader.RatesInput{Text: cents(100)}},
		})
		client := f.user(t, "Carol", account.RoleClient)
		for range 2 {
			for _, n := range []string{"Aurora", "Blaise"} {
				if err := f.readers.AddFavorite(ctx, client.ID, ids[n]); err != nil {
					t.Fatal(err)
				}
			}
		}
		var n int
		if err := d.Read().QueryRowContext(ctx, `SELECT count(*) FROM favorites WHERE client_id = $1`, client.ID).Scan(&n); err != nil || n != 2 {
			t.Fatalf("%d favourite rows (%v), want 2", n, err)
		}
		wantCode(t, f.readers.AddFavorite(ctx, client.ID, ids["Dorian"]), apperr.NotFound)
		wantCode(t, f.readers.AddFavorite(ctx, client.ID, 424242), apperr.NotFound)
		wantCode(t, f.readers.AddFavorite(ctx, ids["Aurora"], ids["Aurora"]), apperr.Invalid)
		wantCode(t, f.readers.AddFavorite(ctx, client.ID, client.ID), apperr.NotFound)

		// A favourite who switched every modality off is still listed.
		if _, err := f.readers.UpdateProfile(ctx, ids["Blaise"], reader.ProfileInput{DisplayName: "Blaise"}); err != nil {
			t.Fatal(err)
		}
		favs, err := f.readers.Favorites(ctx, client.ID)
		if err != nil || len(favs) != 2 {
			t.Fatalf("favourites = %v %v", names(favs), err)
		}
		got, err := f.readers.FavoriteIDs(ctx, client.ID)
		if err != nil || len(got) != 2 {
			t.Fatalf("ids = %v %v", got, err)
		}
		// A favourite who loses verification disappears from the list.
		if _, err := f.readers.SetVerified(ctx, f.admin, ids["Aurora"], false); err != nil {
			t.Fatal(err)
		}
		favs, _ = f.readers.Favorites(ctx, client.ID)
		if !slices.Equal(names(favs), []string{"Blaise"}) {
			t.Fatalf("favourites after unverify = %v", names(favs))
		}
		for range 2 {
			if err := f.readers.RemoveFavorite(ctx, client.ID, ids["Blaise"]); err != nil {
				t.Fatal(err)
			}
		}
		favs, _ = f.readers.Favorites(ctx, client.ID)
		got, _ = f.readers.FavoriteIDs(ctx, client.ID)
		if len(favs) != 0 || !slices.Equal(got, []int64{ids["Aurora"]}) {
			t.Fatalf("favourites after removal = %v (ids %v)", names(favs), got)
		}
		empty := f.user(t, "Nobody", account.RoleClient)
		if favs, err := f.readers.Favorites(ctx, empty.ID); err != nil || len(favs) != 0 {
			t.Fatalf("empty favourites = %v %v", favs, err)
		}
	})
}

// ACC-5 SEC-4: only admins verify readers and set KYC status; each change is
// audited with who did it.
func TestVerifyAndKYC_ACC5_SEC4(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.user(t, "Rhea", account.RoleReader)
		client := f.user(t, "Carol", account.RoleClient)
		for _, actor := range []account.User{client, r, {}} {
			_, err := f.readers.SetVerified(ctx, actor, r.ID, true)
			wantCode(t, err, apperr.Forbidden)
			_, err = f.readers.SetKYC(ctx, actor, r.ID, reader.KYCApproved)
			wantCode(t, err, apperr.Forbidden)
		}
		_, err := f.readers.SetKYC(ctx, f.admin, r.ID, "maybe")
		wantFields(t, err, "kyc_status")
		_, err = f.readers.SetVerified(ctx, f.admin, client.ID, true)
		wantCode(t, err, apperr.NotFound)
		_, err = f.readers.SetKYC(ctx, f.admin, client.ID, reader.KYCPending)
		wantCode(t, err, apperr.NotFound)
		if entries, _ := audit.List(ctx, d.Read(), audit.Filter{}); len(entries) != 0 {
			t.Fatalf("refused changes were audited: %+v", entries)
		}

		f.clk.Advance(time.Hour)
		p, err := f.readers.SetVerified(ctx, f.admin, r.ID, true)
		if err != nil || !p.IsVerified {
			t.Fatalf("verify: %+v %v", p, err)
		}
		if p, err = f.readers.SetKYC(ctx, f.admin, r.ID, reader.KYCPending); err != nil || p.KYCStatus != reader.KYCPending {
			t.Fatalf("kyc: %+v %v", p, err)
		}
		if p, err = f.readers.SetVerified(ctx, f.admin, r.ID, false); err != nil || p.IsVerified {
			t.Fatalf("unverify: %+v %v", p, err)
		}
		entries, err := audit.List(ctx, d.Read(), audit.Filter{Model: "reader_profile"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			if e.ActorID != f.admin.ID || e.ObjectID != strconv.FormatInt(r.ID, 10) || !e.At.Equal(t0.Add(time.Hour)) {
				t.Fatalf("audit record = %+v", e)
			}
			got = append(got, e.Action)
		}
		if !slices.Equal(got, []string{"reader.unverify", "reader.kyc", "reader.verify"}) {
			t.Fatalf("audited actions = %v", got)
		}
		if entries[1].Details["from"] != reader.KYCNotStarted || entries[1].Details["to"] != reader.KYCPending {
			t.Fatalf("kyc details = %v", entries[1].Details)
		}
	})
}

// RDR-3 (as a reader-set switch for now): readers choose online or offline
// only.
func TestSetStatus(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.user(t, "Rhea", account.RoleReader)
		p, err := f.readers.SetStatus(ctx, r.ID, reader.Online)
		if err != nil || p.Status != reader.Online {
			t.Fatalf("online: %+v %v", p, err)
		}
		for _, bad := range []reader.Status{reader.Busy, "", "away"} {
			_, err := f.readers.SetStatus(ctx, r.ID, bad)
			wantFields(t, err, "status")
		}
		if p, _ := f.readers.Get(ctx, r, r.ID); p.Status != reader.Online {
			t.Fatalf("status after refused changes = %s", p.Status)
		}
		client := f.user(t, "Carol", account.RoleClient)
		_, err = f.readers.SetStatus(ctx, client.ID, reader.Online)
		wantCode(t, err, apperr.NotFound)
	})
}
