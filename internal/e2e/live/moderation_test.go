package live

import (
	"context"
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/browsertest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/payment"
)

func TestModeration(t *testing.T) {
	e2e.EachEngine(t, testModeration)
}

// testModeration: LIV-2, LIV-7 and LIV-8 in the browser. A reader is live;
// from the go-live page she appoints a moderator by email. The moderator
// and two viewers watch; the moderator's Moderation card lists both
// viewers. The moderator mutes one viewer for the minutes chosen: the
// viewer is told until when and cannot send, and the card lists the mute.
// The moderator bans the other: their message leaves every screen, their
// page says they are banned, and opening the stream again is refused.
// Unbanned, they watch again. The reader removes the moderator and
// appoints the unbanned viewer from the list of viewers instead. An admin
// is offered to end the stream on the home page's Live now and ends it
// from its page, audited, and every viewer is told an admin ended it. Every page is checked for accessibility at both widths,
// and the moderation card is photographed.
func testModeration(t *testing.T, e db.Engine) {
	ctx := context.Background()
	st, admin := liveStory(t, e)
	s, b := st.S, st.B
	iris, stream := irisLive(t, st, admin, "Moonlit questions")
	mo := e2e.CreateUser(t, s, "Mo Reyes", "mo@example.com", account.RoleClient)
	cleo := e2e.CreateUser(t, s, "Cleo Marsh", "cleo@example.com", account.RoleClient)
	maxU := e2e.CreateUser(t, s, "Max Rowe", "max@example.com", account.RoleClient)
	path := fmt.Sprintf("/streams/%d", stream.ID)

	// LIV-8: the reader appoints a moderator by email from the go-live page.
	readerTab := b.NewTab("reader")
	st.LogIn(readerTab, iris.Email, apptest.Password, "/reader/dashboard")
	readerTab.Visit("/reader/live")
	readerTab.WaitText("[data-moderators]", "No moderators yet")
	readerTab.Fill(`[data-moderators] input[name="email"]`, mo.Email)
	readerTab.ClickNav(`[data-moderators] button[type="submit"]`)
	readerTab.WaitText("[data-moderators]", "Mo Reyes")

	// LIV-7: the moderator's card lists the viewers, on whichever instance.
	tabs := map[string]*browsertest.Tab{}
	for _, u := range []account.User{mo, cleo, maxU} {
		tab := b.NewTab(u.Email)
		st.LogIn(tab, u.Email, apptest.Password, "/dashboard")
		tab.Visit(path)
		tab.WaitJS("the stream connection to open", `document.getElementById("stream").classList.contains("is-live")`)
		tabs[u.Email] = tab
	}
	moTab, cleoTab, maxTab := tabs[mo.Email], tabs[cleo.Email], tabs[maxU.Email]
	moTab.WaitText("[data-viewers]", "3")
	moTab.WaitText("[data-viewer-list]", "Cleo Marsh")
	moTab.WaitText("[data-viewer-list]", "Max Rowe")
	readerTab.WaitText("[data-viewer-list]", "Mo Reyes")
	for tab, line := range map[*browsertest.Tab]string{cleoTab: "Hello from Cleo", maxTab: "Buy my crystals"} {
		tab.Fill("[data-chat-input]", line)
		tab.Click(`[data-chat-form] button[type="submit"]`)
		moTab.WaitText("[data-messages]", line)
	}

	// LIV-8: a mute for the minutes chosen; the viewer cannot send.
	moTab.Click(`button[aria-label="Mute: Cleo Marsh"]`)
	moTab.Select(`select[aria-label="Mute Cleo Marsh for"]`, "30")
	moTab.Click(`button[aria-label="Mute Cleo Marsh for the time chosen"]`)
	cleoTab.WaitVisible("[data-muted-note]")
	cleoTab.WaitText("[data-muted-note]", "You are muted until")
	cleoTab.WaitJS("the chat to refuse her", `document.querySelector("[data-chat-input]").disabled && document.querySelector("[data-chat-form] button").disabled`)
	if _, err := s.App.Live.Say(ctx, cleo, stream.ID, "Still here?"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("a muted viewer's message: %v, want Forbidden", err)
	}
	moTab.WaitText("[data-restricted]", "Cleo Marsh")
	moTab.WaitText("[data-restricted]", "muted until")

	// LIV-8: a ban; the banned viewer's message leaves every screen, their
	// page says banned and opening the stream again is refused.
	moTab.Click(`button[aria-label="Ban: Max Rowe"]`)
	for _, tab := range []*browsertest.Tab{moTab, cleoTab, readerTab} {
		tab.WaitJS("the banned viewer's message to leave", `!document.querySelector("[data-messages]").textContent.includes("Buy my crystals")`)
		tab.WaitText("[data-messages]", "Hello from Cleo")
	}
	maxTab.WaitText("[data-stream-refused]", "You have been banned from Iris Vale's streams.")
	moTab.WaitText("[data-restricted]", "Max Rowe")
	moTab.Screenshot("stream-moderation")
	readerTab.WaitText("[data-restricted]", "Max Rowe")
	readerTab.Screenshot("go-live-moderation")
	maxTab.VisitStatus(path, 403)
	maxTab.WaitText("main", "You have been banned from Iris Vale's streams.")

	// Unbanned, Max watches again; the card no longer lists him.
	moTab.Click(`button[aria-label="Unban Max Rowe"]`)
	moTab.WaitJS("the unbanned viewer to leave the list", `!document.querySelector("[data-restricted]").textContent.includes("Max Rowe")`)
	maxTab.Visit(path)
	maxTab.WaitJS("the stream connection to open", `document.getElementById("stream").classList.contains("is-live")`)

	// The reader removes the moderator; their card goes at the next change.
	readerTab.WaitJS("the reader's card to list Max as watching, not banned", `document.querySelector("[data-viewer-list]").textContent.includes("Max Rowe") && !document.querySelector("[data-restricted]").textContent.includes("Max Rowe")`)
	moTab.ExpectConsoleError("status of 403") // the card, refused now
	readerTab.ClickNav(`button[aria-label="Remove Mo Reyes as a moderator"]`)
	readerTab.WaitText("[data-moderators]", "No moderators yet")
	cleoTab.Visit(path) // a viewer comes and goes
	moTab.WaitJS("the moderation card to go", `!document.querySelector("[data-moderation-panel]") && !document.querySelector(".msg-mod")`)
	cleoTab.WaitJS("the stream connection to open", `document.getElementById("stream").classList.contains("is-live")`)

	// The reader appoints a moderator from the viewers instead.
	readerTab.WaitText("[data-viewer-list]", "Max Rowe")
	readerTab.ClickNav(`button[aria-label="Make moderator: Max Rowe"]`)
	readerTab.WaitText("[data-moderators]", "Max Rowe")
	readerTab.WaitText("[data-viewer-list]", "moderator")

	// LIV-2: an admin ends the stream from its page; every viewer is told.
	adminTab := b.NewTab("admin")
	st.LogIn(adminTab, admin.Email, apptest.Password, "/admin")
	adminTab.Visit("/")
	adminTab.WaitVisible(`.live-strip form[action="` + path + `/end"] button`)
	adminTab.Visit(path)
	adminTab.ClickNav(`[data-admin-end] button[type="submit"]`)
	adminTab.WaitText("main", "This stream has ended.")
	for _, tab := range []*browsertest.Tab{moTab, cleoTab, maxTab} {
		tab.WaitText("[data-stream-ended]", "an admin ended it")
	}
	var audited int
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'stream.end' AND actor_id = $1`, admin.ID).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("the admin's end was audited %d times (%v), want once", audited, err)
	}
}

// liveStory starts the app on engine e with a browser, and an admin; the
// browser photographs on SQLite only.
func liveStory(t *testing.T, e db.Engine) (*e2e.Story, account.User) {
	s := apptest.Start(t, e, apptest.WithConfig(func(c *config.Config) { c.AuthRateLimit = 1000 }))
	b := browsertest.New(t, s.URL)
	b.Screenshots = b.Screenshots && e == db.SQLite
	return &e2e.Story{T: t, S: s, B: b}, e2e.CreateUser(t, s, "Ada Admin", "ada@example.com", account.RoleAdmin)
}

// irisLive makes Iris Vale, a reader the admin verified, live with a
// public stream titled title.
func irisLive(t *testing.T, st *e2e.Story, admin account.User, title string) (account.User, live.Stream) {
	ctx := context.Background()
	iris := e2e.CreateUser(t, st.S, "Iris Vale", "iris@example.com", account.RoleReader)
	if _, err := st.S.App.Readers.SetVerified(ctx, admin, iris.ID, true); err != nil {
		t.Fatal(err)
	}
	stream, err := st.S.App.Live.Start(ctx, iris, live.StartInput{Title: title, Visibility: string(live.Public)})
	if err != nil {
		t.Fatal(err)
	}
	return iris, stream
}

// fund puts cents in u's wallet, an admin's adjustment.
func fund(t *testing.T, st *e2e.Story, admin, u account.User, cents int64) {
	if _, err := st.S.App.Payments.Adjust(context.Background(), admin, payment.AdjustInput{UserID: u.ID, AmountCents: cents, Reason: "Stream money"}); err != nil {
		t.Fatal(err)
	}
}
