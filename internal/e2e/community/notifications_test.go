package community

import (
	"context"
	"strconv"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/notify"
)

// TestNotifications follows the notification centre and blocking through
// two browsers on every engine: the demo client asks to be told when Luna,
// offline, comes online (RDR-7); Luna logs in elsewhere, and the bell on
// the client's open page counts the notification at once, without a
// reload (MSG-2); the bell's dropdown shows it, and opening it marks it
// read and leads to Luna's profile; the request is then used up. The list
// page marks everything read, the settings page turns email of messages
// off, and the client blocks Luna from her profile and unblocks her from
// the blocked list (ACC-6).
func TestNotifications(t *testing.T) {
	e2e.EachEngine(t, testNotifications)
}

func testNotifications(t *testing.T, e db.Engine) {
	ctx := context.Background()
	st := e2e.Demo(t, e)
	s, b := st.S, st.B
	// The demo's booking starts 5 to 20 minutes after loading, so its
	// 15-minute reminder may come due during the story and reach the
	// client's bell between two counts; it is marked sent, leaving the bell
	// to the story's own notifications.
	if _, err := s.App.DB.Writer.ExecContext(ctx, `UPDATE bookings SET reminded_soon = TRUE`); err != nil {
		t.Fatal(err)
	}
	user := func(email string) account.User {
		u, err := s.App.Accounts.GetByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	client, luna := user(demo.ClientEmail), user("luna@soulseer.demo")
	profile := "/readers/" + strconv.FormatInt(luna.ID, 10)
	unread := func() int {
		n, err := s.App.Notify.Unread(ctx, client.ID)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	bellShows := func(tab *browsertest.Tab, n int) {
		t.Helper()
		tab.WaitJS("the bell to count "+strconv.Itoa(n), `(function () { var el = document.querySelector("[data-bell-toggle] [data-unread-notifications]");
			return el.textContent.trim() === "`+strconv.Itoa(n)+`" && el.hidden === `+strconv.FormatBool(n == 0)+`; })()`)
	}

	// RDR-7: Luna is offline; the client asks to be told when she comes online.
	cl := b.NewTab("client")
	st.LogIn(cl, demo.ClientEmail, demo.Password, "/dashboard")
	cl.Visit(profile)
	cl.WaitVisible("[data-watch]")
	cl.ClickNav("[data-watch]")
	cl.WaitText("[data-unwatch]", "Stop notifying me")
	before := unread()
	if before < 1 {
		t.Fatalf("the demo client has %d unread notifications; the demo should leave some", before)
	}
	bellShows(cl, before)
	st.WaitLive(cl)

	// MSG-2: Luna logs in in another browser; the client's open page
	// counts the notification at once.
	rdr := b.NewTab("reader")
	st.LogIn(rdr, luna.Email, demo.Password, "/reader/dashboard")
	bellShows(cl, before+1)
	if cl.Path() != profile {
		t.Fatalf("the client's page moved to %s", cl.Path())
	}

	// The dropdown shows it; opening it marks it read and leads to Luna.
	cl.Click("[data-bell-toggle]")
	cl.WaitText(".bell-menu li:first-child .bell-item.is-unread", "Luna Starweaver is online now")
	cl.Screenshot("notifications-bell")
	cl.ClickNav(".bell-menu li:first-child .bell-item")
	if p := cl.Path(); p != profile {
		t.Fatalf("the notification led to %s, want %s", p, profile)
	}
	bellShows(cl, before)
	if n := unread(); n != before {
		t.Fatalf("%d unread after opening the notification, want %d", n, before)
	}
	list, err := s.App.Notify.List(ctx, client.ID, notify.ListFilter{})
	if err != nil || len(list) == 0 || list[0].Kind != notify.KindReaderOnline || !list[0].Read {
		t.Fatalf("newest notification = %+v (%v)", list, err)
	}
	told := 0
	for _, it := range list {
		if it.Kind == notify.KindReaderOnline && it.URL == profile {
			told++
		}
	}
	if told != 1 {
		t.Fatalf("told %d times that Luna came online, want once", told)
	}
	if watching, err := s.App.Readers.WatchingOnline(ctx, client.ID, luna.ID); err != nil || watching {
		t.Fatalf("the request is not used up (%v, %v)", watching, err)
	}

	// The list marks everything read, on every open page.
	cl.Visit("/notifications")
	cl.WaitText(".notif-list .notif", "Luna Starweaver is online now")
	cl.Screenshot("notifications")
	cl.ClickNav("[data-mark-all-read]")
	cl.WaitText("[data-unread-notifications-text]", "All read")
	bellShows(cl, 0)
	if n := unread(); n != 0 {
		t.Fatalf("%d unread after Mark all read", n)
	}

	// Settings: no email about messages.
	cl.Visit("/notifications/preferences")
	cl.SetChecked(`input[name="email_message"]`, false)
	cl.ClickNav(`form[action="/notifications/preferences"] button[type="submit"]`)
	cl.WaitText(".flash", "saved")
	prefs, err := s.App.Notify.Preferences(ctx, client.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range notify.Kinds() {
		if p := prefs[i]; p.Kind != k.Kind || p.InApp != k.InApp || p.Email != (k.Email && k.Kind != notify.KindMessage) {
			t.Errorf("preference %+v after saving, defaults %+v", p, k)
		}
	}

	// ACC-6: block Luna from her profile, unblock her from the list.
	cl.Visit(profile)
	cl.ClickNav("[data-block]")
	cl.WaitText(".flash", "You blocked Luna Starweaver")
	cl.WaitText(".block-part", "You blocked Luna Starweaver")
	if blocked, err := s.App.Blocks.HasBlocked(ctx, client.ID, luna.ID); err != nil || !blocked {
		t.Fatalf("not blocked (%v)", err)
	}
	cl.Visit("/account/blocked")
	cl.WaitText(".block-list", "Luna Starweaver")
	cl.Screenshot("blocked")
	cl.ClickNav(`.block-list button[type="submit"]`)
	cl.WaitText(".card", "You have not blocked anyone.")
	if blocked, err := s.App.Blocks.HasBlocked(ctx, client.ID, luna.ID); err != nil || blocked {
		t.Fatalf("still blocked (%v)", err)
	}
}
