// Package demo loads a living demo marketplace: verified readers with
// avatars, bios, specialties and rates (some online), a client with a
// conversation with the first reader and bookings with her (one whose
// room opens soon), a client's application to become a reader waiting for
// the admin, two readers live with streams (one premium) and another's
// past stream with gifts, two readers offering monthly subscriptions (the client holding
// one), a forum with three categories and threads by the client and
// readers, a shop with downloads, a deck, crystals, a coupon and the
// client's past order, and an admin, so a newcomer sees what SoulSeer is within a
// minute. Loading is idempotent: accounts that already exist are left
// alone.
package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/reader"
)

// Password is the password of every demo account.
const Password = "soulseer-demo"

// Demo accounts other than readers.
const (
	AdminEmail  = "admin@soulseer.demo"
	ClientEmail = "client@soulseer.demo"
)

type demoReader struct {
	name, email, tagline, bio string
	specialties               []string
	languages                 []string
	years                     int
	text, voice, video        int64
	online                    bool
	automated                 bool // a persona the app plays (package persona)
	readings                  int64
	palette                   [3]uint32
}

// Load creates the demo accounts and prints how to log in.
func Load(ctx context.Context, a *app.App, out io.Writer) error {
	admin, err := ensureUser(ctx, a, "Morgan (Admin)", AdminEmail, account.RoleAdmin)
	if err != nil {
		return err
	}
	recovery, err := enrolAdmin(ctx, a, admin)
	if err != nil {
		return fmt.Errorf("demo: admin two-factor: %w", err)
	}
	if recovery == "" {
		recovery = "printed when the demo was first loaded"
	}
	client, err := ensureUser(ctx, a, "Alex Rivers", ClientEmail, account.RoleClient)
	if err != nil {
		return err
	}
	for i, r := range readers {
		if err := loadReader(ctx, a, admin, r, i); err != nil {
			return fmt.Errorf("demo: reader %s: %w", r.email, err)
		}
	}
	if err := seedConversation(ctx, a, client); err != nil {
		return err
	}
	if err := seedApplication(ctx, a); err != nil {
		return err
	}
	soon, err := seedBookings(ctx, a, admin, client)
	if err != nil {
		return err
	}
	if err := seedShop(ctx, a, admin, client); err != nil {
		return err
	}
	if err := seedNotifications(ctx, a, client); err != nil {
		return err
	}
	if err := seedStreams(ctx, a, admin, client); err != nil {
		return err
	}
	if err := seedSubscriptions(ctx, a, admin, client); err != nil {
		return err
	}
	if err := seedForum(ctx, a, admin, client); err != nil {
		return err
	}
	if err := seedHistory(ctx, a, admin, client); err != nil {
		return err
	}
	if err := seedPayouts(ctx, a, admin); err != nil {
		return err
	}
	fmt.Fprintf(out, `Demo marketplace loaded: %d readers, one client, one admin.
%d readers are automated demo personas: online while the site runs, they
accept a request after a moment, chat from a script and end the reading
after a few minutes, billed like any other.
Every demo account uses the password %q:
  admin    %s — admins sign in with two-factor codes too: add the key
           %s to an authenticator app (or sign in once with the
           recovery code %s)
  client   %s (booked with Luna: a chat reading at %s UTC, whose room opens
           10 minutes before, one next week and one in the past)
  reader   %s (online while you are logged in as her; and the other *@soulseer.demo readers)
           Selene is live with a stream under "Live now", and Mystic Rosa with a premium one ($5.00 ticket);
           Orion's past stream had the client's gifts
           Luna and Orion offer monthly subscriptions; the client subscribes to Luna (see /subscriptions)
  applicant %s (a client whose application to become a reader waits in the admin's queue)
  forum    /forum: General talk, Tarot & oracle and the readers-only Readers' lounge, with threads by the client and readers;
           a spam post flagged by the client and Orion waits in the admin's moderation queue (Admin → Flags)
  shop     /shop: two downloads, a tarot deck and crystals; coupon WELCOME10 takes 10%% off; the client has
           a past order, delivered (Admin → Shop keeps the catalog, ships and refunds)
  history  six weeks of past readings, gifts, paid replies and tickets, so the dashboards' charts have a shape
  payouts  every reader is onboarded on the test-mode payout page; Luna has a past payout (/reader/payouts;
           Admin → /admin/payouts runs, holds and retries them)
`, len(readers), countAutomated(), Password, AdminEmail, AdminTwoFactorSecret, recovery, ClientEmail, soon.UTC().Format("15:04"), readers[0].email, ApplicantEmail)
	return nil
}

func countAutomated() int {
	n := 0
	for _, r := range readers {
		if r.automated {
			n++
		}
	}
	return n
}

// ensureUser returns the account with that email, creating it if needed.
func ensureUser(ctx context.Context, a *app.App, name, email string, role account.Role) (account.User, error) {
	u, err := a.Accounts.GetByEmail(ctx, email)
	if err == nil {
		return u, nil
	}
	if apperr.CodeOf(err) != apperr.NotFound {
		return account.User{}, err
	}
	return a.Accounts.Create(ctx, account.SignUpInput{Email: email, Password: Password, DisplayName: name}, role)
}

func loadReader(ctx context.Context, a *app.App, admin account.User, r demoReader, i int) error {
	if _, err := a.Accounts.GetByEmail(ctx, r.email); err == nil {
		return nil
	}
	u, err := ensureUser(ctx, a, r.name, r.email, account.RoleReader)
	if err != nil {
		return err
	}
	opt := func(v int64) *int64 {
		if v == 0 {
			return nil
		}
		return &v
	}
	tagline, bio, specs, langs, years := r.tagline, r.bio, r.specialties, r.languages, r.years
	if _, err := a.Readers.UpdateProfile(ctx, u.ID, reader.ProfileInput{
		DisplayName: r.name, Tagline: &tagline, Bio: &bio, Specialties: &specs, Languages: &langs, YearsExperience: &years,
		Rates: reader.RatesInput{Text: opt(r.text), Voice: opt(r.voice), Video: opt(r.video)},
	}); err != nil {
		return err
	}
	img, err := avatarPNG(r.palette, i)
	if err != nil {
		return err
	}
	if _, err := a.Accounts.UploadAvatar(ctx, u.ID, img); err != nil {
		return err
	}
	if _, err := a.Readers.SetKYC(ctx, admin, u.ID, reader.KYCApproved); err != nil {
		return err
	}
	if _, err := a.Readers.SetVerified(ctx, admin, u.ID, true); err != nil {
		return err
	}
	if err := seedReviews(ctx, a, admin, u, i); err != nil {
		return err
	}
	if err := seedAvailability(ctx, a, u, i); err != nil {
		return err
	}
	status := reader.Offline
	if r.online {
		status = reader.Online
	}
	if _, err := a.Readers.SetStatus(ctx, u.ID, status); err != nil {
		return err
	}
	// Seed the demo's track record so sorting by popularity shows
	// something; its ratings come from the reviews above. A persona counts
	// as connected from now on, as the persona worker of a running site
	// keeps it; Luna only while someone is logged in as her.
	var seen int64
	if r.automated {
		seen = db.Millis(a.Clock.Now())
	}
	return a.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET readings_count = $1, automated = $2, last_seen_at = $3 WHERE user_id = $4`,
			r.readings, r.automated, seen, u.ID)
		return err
	})
}
