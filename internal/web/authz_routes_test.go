package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/soulseer/soulseer/internal/apptest"
)

// cell is what one caller gets from a row's request: an HTTP status, which
// for 400 and above must leave every table as it was; same(status) is a
// status that must change nothing either, such as a page form's redirect
// back with a message saying why it was refused.
type cell int

func same(status int) cell { return cell(-status) }

// status is the cell's HTTP status.
func (c cell) status() int { return max(int(c), -int(c)) }

// refused reports whether the request must change nothing.
func (c cell) refused() bool { return c < 0 || c >= 400 }

// cells are a row's expected answers, one per caller in the order of
// callers: anon, clientA, clientB, readerA, readerB, admin.
type cells [len(callers)]cell

// anyone is a public route that answers everyone alike.
func anyone(status int) cells {
	s := cell(status)
	return cells{s, s, s, s, s, s}
}

// users is an API route or page form for any signed-in user.
func users(status int) cells {
	s := cell(status)
	return cells{401, s, s, s, s, s}
}

// usersPage is a page for any signed-in user; a visitor is sent to log in.
func usersPage(status int) cells {
	s := cell(status)
	return cells{same(303), s, s, s, s, s}
}

// readersOnly is an API route or page form for readers.
func readersOnly(status int) cells { return cells{401, 403, 403, cell(status), cell(status), 403} }

// readersPage is a page for readers.
func readersPage(status int) cells {
	return cells{same(303), 403, 403, cell(status), cell(status), 403}
}

// adminsOnly is an API route or page form for admins.
func adminsOnly(status int) cells { return cells{401, 403, 403, 403, 403, cell(status)} }

// adminsPage is a page for admins.
func adminsPage(status int) cells { return cells{same(303), 403, 403, 403, 403, cell(status)} }

// signedInPage is a public page that sends signed-in users on to their
// dashboard.
var signedInPage = cells{200, 303, 303, 303, 303, 303}

// authzRow is one route of the authorisation matrix: the request that
// succeeds for the owner of A's object, and what each caller gets from it.
// Paths and bodies name objects by placeholder: {clientA} {clientB}
// {readerA} {readerB} {admin} (user ids), {done} (A's finished reading with
// its private texts), {topup} {session} (A's paid top-up and unpaid
// checkout), {charge} (a charge of A's reading), {avatar}, {month} (this
// month), {who} (the
// caller), {n} (a number of the cell's own), and what setups make.
type authzRow struct {
	route string // "METHOD pattern" exactly as the route table has it
	path  string
	want  cells
	// setup makes the object the path names afresh, in the state in which
	// its owner succeeds: before the row's first cell and after every cell
	// that succeeds.
	setup func(t *testing.T, m *authzWorld)
	form  url.Values                                                       // a page form's fields
	body  string                                                           // an API request's JSON
	raw   func(t *testing.T, m *authzWorld) (body []byte, header []string) // any other body
	live  bool                                                             // a WebSocket: 101 when it opens
}

// noLimits removes every spending limit, so a row that sets one leaves no
// caller unable to spend in later rows.
func noLimits(t *testing.T, m *authzWorld) { m.exec(t, `DELETE FROM spending_limits`) }

// authzRows is the matrix: one row for every route of the route table.
func authzRows() []authzRow {
	review := url.Values{"rating": {"5"}, "body": {"Clear and kind"}}
	weeklyHours := url.Values{"time_zone": {"Europe/London"}, "start_monday": {"09:00", ""}, "end_monday": {"12:30", ""}, "durations": {"30", "60"},
		"price_30": {"45"}, "buffer_minutes": {"10"}, "min_notice_minutes": {"60"}, "max_days_ahead": {"28"}}
	profile := url.Values{"display_name": {"Reader {who}"}, "specialties": {"tarot"}, "offer_text": {"on"}, "rate_text": {"1.99"},
		"offer_voice": {"on"}, "rate_voice": {"3.99"}}
	return []authzRow{
		// Operations.
		{route: "GET /healthz", path: "/healthz", want: anyone(200)},
		{route: "GET /readyz", path: "/readyz", want: anyone(200)},
		{route: "GET /metrics", path: "/metrics", want: anyone(200)}, // local clients; see TestMetricsAccess
		{route: "GET /static/{path...}", path: "/static/css/app.css", want: anyone(200)},
		{route: "GET /media/{key...}", path: "/media/{avatar}", want: anyone(200)},

		// Public pages.
		{route: "GET /{$}", path: "/", want: anyone(200)},
		{route: "GET /readers", path: "/readers", want: anyone(200)},
		{route: "GET /readers/{id}", path: "/readers/{readerA}", want: anyone(200)},
		{route: "GET /slots", path: "/slots?duration=30&modality=text", want: anyone(200)},

		// Sign-up, login, password reset, OIDC.
		{route: "GET /signup", path: "/signup", want: signedInPage},
		{route: "POST /signup", path: "/signup", want: anyone(303),
			form: url.Values{"email": {"new-{who}-{n}@example.com"}, "password": {"tea leaves at dawn"}, "display_name": {"New {who}"}}},
		{route: "GET /login", path: "/login", want: signedInPage},
		{route: "POST /login", path: "/login", want: anyone(303), form: url.Values{"email": {"sam@example.com"}, "password": {apptest.Password}}},
		{route: "GET /login/two-factor", path: "/login/two-factor", want: anyone(303)}, // no sign-in waits for a code: back to /login (ACC-7)
		{route: "POST /login/two-factor", path: "/login/two-factor", want: anyone(303), form: url.Values{"code": {"123456"}}},
		{route: "POST /logout", path: "/logout", want: anyone(303)},
		{route: "GET /password/forgot", path: "/password/forgot", want: anyone(200)},
		{route: "POST /password/forgot", path: "/password/forgot", want: anyone(303), form: url.Values{"email": {"rae@example.com"}}},
		{route: "GET /password/reset", path: "/password/reset", want: anyone(200)},
		{route: "POST /password/reset", path: "/password/reset", want: anyone(303), setup: resetLink,
			form: url.Values{"token": {"{reset}"}, "password": {"tea leaves at dawn"}}},
		{route: "GET /auth/oidc/login", path: "/auth/oidc/login", want: anyone(302)},
		{route: "GET /auth/oidc/callback", path: "/auth/oidc/callback", want: anyone(400)}, // no sign-in under way

		// Signed-in pages.
		{route: "GET /dashboard", path: "/dashboard", want: usersPage(200)},
		{route: "POST /dashboard/tokens/{id}/revoke", path: "/dashboard/tokens/{token}/revoke", setup: spareTokenOfA, want: cells{401, 303, 404, 404, 404, 404}},
		{route: "POST /readers/{id}/favorite", path: "/readers/{readerA}/favorite", want: cells{401, 303, 303, 400, 303, 303}},
		{route: "POST /readers/{id}/unfavorite", path: "/readers/{readerA}/unfavorite", setup: favouredA,
			want: cells{401, 303, same(303), same(303), same(303), same(303)}},

		// Account settings and applications to become a reader.
		{route: "GET /account", path: "/account", want: usersPage(200)},
		{route: "POST /account", path: "/account", want: users(303), form: url.Values{"display_name": {"Name {who}"}, "time_zone": {"Europe/Lisbon"}}},
		{route: "POST /account/avatar", path: "/account/avatar", want: users(303), raw: avatarForm},
		{route: "POST /account/email", path: "/account/email", want: users(303),
			form: url.Values{"email": {"moving-{who}-{n}@example.com"}, "current_password": {apptest.Password}}},
		{route: "GET /account/email/confirm", path: "/account/email/confirm?token={emaillink}", setup: emailChangeLink, want: anyone(200)},
		{route: "POST /account/email/confirm", path: "/account/email/confirm", setup: emailChangeLink, want: anyone(303),
			form: url.Values{"token": {"{emaillink}"}}},
		{route: "POST /account/password", path: "/account/password", want: users(303),
			form: url.Values{"current_password": {apptest.Password}, "new_password": {"a new moon rises {n}"}}},
		{route: "POST /account/sessions/{id}/end", path: "/account/sessions/{mysession}/end", setup: sessionOfA, want: cells{401, 303, 404, 404, 404, 404}},
		{route: "POST /account/sessions/end-others", path: "/account/sessions/end-others", want: users(303)},
		{route: "GET /account/two-factor", path: "/account/two-factor", want: usersPage(200)}, // two-factor sign-in (ACC-7); codes are tried in TestTwoFactorPages
		{route: "POST /account/two-factor/setup", path: "/account/two-factor/setup", want: users(303)},
		{route: "POST /account/two-factor/confirm", path: "/account/two-factor/confirm", want: users(400), form: url.Values{"code": {""}}},
		{route: "POST /account/two-factor/recovery-codes", path: "/account/two-factor/recovery-codes", want: users(400), form: url.Values{"code": {""}}},
		{route: "POST /account/two-factor/disable", path: "/account/two-factor/disable", want: users(400), form: url.Values{"code": {""}}},
		{route: "GET /become-a-reader", path: "/become-a-reader", want: usersPage(200)},
		{route: "POST /become-a-reader", path: "/become-a-reader", want: cells{401, 303, 303, 409, 409, 409},
			form: url.Values{"display_name": {"Seer {who}"}, "specialties": {"tarot"}, "years_experience": {"4"}, "languages": {"English"},
				"bio":            {"I read tarot for people at a crossroads, gently and honestly, since 2019."},
				"sample_reading": {strings.Repeat("The Star card speaks of hope returning after a hard season. ", 5)}, "kyc_consent": {"yes"}}},
		// SEC-1: anyone signed in asks for a copy of their data; its link is its owner's alone.
		{route: "GET /accounts/export/{$}", path: "/accounts/export/", want: usersPage(200)},
		{route: "POST /accounts/export/{$}", path: "/accounts/export/", setup: noExports, want: users(303)},
		{route: "GET /accounts/export/{id}/download", path: "{export}", setup: exportOfA, want: cells{same(303), 200, 403, 403, 403, 403}},
		// SEC-2: anyone signed in asks for the link that deletes their account; a wrong password is shown at its field and
		// sends nothing, and a link that is not one deletes nothing (TestDeleteAccount follows the whole way in a browser).
		{route: "GET /accounts/delete-account/{$}", path: "/accounts/delete-account/", want: usersPage(200)},
		{route: "POST /accounts/delete-account/{$}", path: "/accounts/delete-account/", want: users(400),
			form: url.Values{"current_password": {"not my password"}}},
		{route: "GET /accounts/delete-account/confirm", path: "/accounts/delete-account/confirm?token=not-a-link", want: anyone(400)},
		{route: "POST /accounts/delete-account/confirm", path: "/accounts/delete-account/confirm", want: anyone(400), form: url.Values{"token": {"not-a-link"}}},

		{route: "POST /readers/{id}/watch", path: "/readers/{readerA}/watch", want: cells{401, 303, 303, same(303), same(303), same(303)}},
		{route: "POST /readers/{id}/unwatch", path: "/readers/{readerA}/unwatch", setup: watchingA,
			want: cells{401, 303, same(303), same(303), same(303), same(303)}},

		// Notifications and blocking.
		{route: "GET /notifications", path: "/notifications", want: usersPage(200)},
		{route: "GET /notifications/latest", path: "/notifications/latest", want: usersPage(200)},
		{route: "POST /notifications/read", path: "/notifications/read", form: url.Values{"all": {"1"}}, want: users(303)},
		{route: "GET /notifications/preferences", path: "/notifications/preferences", want: usersPage(200)},
		{route: "POST /notifications/preferences", path: "/notifications/preferences", form: url.Values{"in_app_message": {"on"}}, want: users(303)},
		{route: "GET /notifications/unsubscribe/{token}", path: "/notifications/unsubscribe/{unsubscribe}", setup: unsubscribeLinkOfA, want: anyone(200)},
		{route: "POST /notifications/unsubscribe/{token}", path: "/notifications/unsubscribe/{unsubscribe}", setup: unsubscribeLinkOfA, want: anyone(200)},
		{route: "GET /account/blocked", path: "/account/blocked", want: usersPage(200)},
		{route: "POST /account/blocked", path: "/account/blocked", form: url.Values{"user_id": {"{blockee}"}},
			want: cells{401, 303, 303, same(303), same(303), same(303)}}, // readers block clients
		{route: "POST /account/blocked/{id}/unblock", path: "/account/blocked/{blockee}/unblock", setup: blockedByA,
			want: cells{401, 303, same(303), same(303), same(303), same(303)}},

		// Wallet, top-ups and the Stripe webhook.
		{route: "GET /wallet", path: "/wallet", want: usersPage(200)},
		{route: "GET /wallet/entries", path: "/wallet/entries", want: usersPage(200)},
		{route: "POST /wallet/topups", path: "/wallet/topups", want: users(303), form: url.Values{"amount": {"25"}}},
		{route: "GET /wallet/history", path: "/wallet/history", want: usersPage(200)},
		{route: "GET /wallet/limits", path: "/wallet/limits", want: usersPage(200)}, // spending limits (WAL-11); each row leaves nobody limited
		{route: "POST /wallet/limits", path: "/wallet/limits", setup: noLimits, want: users(303), form: url.Values{"per_reading": {""}, "daily": {"1000"}, "monthly": {""}}},
		{route: "POST /wallet/limits/pause", path: "/wallet/limits/pause", setup: noLimits, want: users(303), form: url.Values{"days": {"1"}}},
		{route: "POST /wallet/limits/pause/end", path: "/wallet/limits/pause/end", setup: noLimits, want: users(303)},
		{route: "GET /wallet/auto-reload", path: "/wallet/auto-reload", want: usersPage(200)}, // auto-reload (WAL-12); no row leaves a card saved
		{route: "POST /wallet/auto-reload", path: "/wallet/auto-reload", setup: noAutoReload, want: users(303), form: url.Values{"threshold": {"10"}, "amount": {"25"}}},
		{route: "POST /wallet/auto-reload/off", path: "/wallet/auto-reload/off", want: users(303)},
		{route: "GET /wallet/history.csv", path: "/wallet/history.csv", want: usersPage(200)},
		{route: "GET /wallet/test-checkout/{session}", path: "/wallet/test-checkout/{session}", want: cells{same(303), 200, 404, 404, 404, 404}},
		{route: "POST /wallet/test-checkout/{session}/pay", path: "/wallet/test-checkout/{checkout}/pay", setup: checkoutOfA,
			want: cells{401, 303, 404, 404, 404, 404}},
		{route: "GET /wallet/test-card/{session}", path: "/wallet/test-card/{cardpage}", setup: cardPageOfA, want: cells{same(303), 200, 404, 404, 404, 404}},
		{route: "POST /wallet/test-card/{session}/save", path: "/wallet/test-card/{cardpage}/save", setup: cardPageOfA, form: url.Values{"card": {"4242"}},
			want: cells{401, 303, 404, 404, 404, 404}},
		{route: "POST /stripe/webhook/{$}", path: "/stripe/webhook/", want: anyone(200), raw: stripeEvent},

		// Readings.
		{route: "POST /readers/{id}/reading", path: "/readers/{readerA}/reading", setup: noOpenReading, form: url.Values{"modality": {"text"}},
			want: cells{401, 303, 303, same(303), same(303), same(303)}}, // reader A asks herself, reader B and the admin hold no money
		{route: "POST /readers/{id}/queue", path: "/readers/{readerA}/queue", form: url.Values{"modality": {"text"}},
			want: cells{401, 303, 303, same(303), 303, 303}},
		{route: "POST /readers/{id}/unqueue", path: "/readers/{readerA}/unqueue", setup: queuedA,
			want: cells{401, 303, same(303), same(303), same(303), same(303)}},
		{route: "GET /readings", path: "/readings", want: usersPage(200)},
		{route: "GET /readings/{id}", path: "/readings/{done}", want: cells{same(303), 200, 404, 200, 404, 200}},
		{route: "POST /readings/{id}/accept", path: "/readings/{open}/accept", setup: waitingReading, want: cells{401, 403, 403, 303, same(303), 403}},
		{route: "POST /readings/{id}/decline", path: "/readings/{open}/decline", setup: waitingReading, want: cells{401, 403, 403, 303, same(303), 403}},
		{route: "POST /readings/{id}/end", path: "/readings/{open}/end", setup: runningReading, want: cells{401, 303, same(303), 303, same(303), same(303)}},
		{route: "POST /readings/{id}/resume", path: "/readings/{open}/resume", setup: pausedReading, want: cells{401, 303, same(303), 303, same(303), same(303)}},
		{route: "POST /readings/{id}/review", path: "/readings/{finished}/review", setup: finishedReading, form: review,
			want: cells{401, 303, same(303), same(303), same(303), same(303)}},
		{route: "POST /readings/{id}/claim", path: "/readings/{finished}/claim", setup: finishedReading, form: url.Values{"reason": {"other"}, "details": {"Not what I hoped"}, "confirm": {"yes"}},
			want: cells{401, 303, same(303), same(303), same(303), same(303)}},
		{route: "POST /readings/{id}/note", path: "/readings/{done}/note", setup: readingNoteOfA, form: url.Values{"body": {"Ask about the move"}},
			want: cells{401, 303, same(303), same(303), same(303), same(303)}},
		// SCH-6: a booking's room is its client's and its reader's alone.
		{route: "GET /bookings/{id}/room", path: "/bookings/{soon}/room", setup: roomOpenOfA, want: cells{same(303), 200, 404, 200, 404, 404}},

		// LIV-1, LIV-3, LIV-4: the livestream pages. A stream's page is what CanWatch decides (a premium stream without a
		// ticket: the ticket offered, 402); readers go live and end their stream; admins keep the gift catalog.
		{route: "GET /streams/{id}", path: "/streams/{ticketed}", setup: ticketedOfA, want: cells{same(303), 200, 402, 200, 402, 200}},
		{route: "POST /streams/{id}/ticket", path: "/streams/{premium}/ticket", setup: premiumOfA, want: cells{401, 303, 303, 409, 402, 402}},
		// LIV-3: anyone signed in subscribes to a reader who offers it (not themself; reader A and the admin hold too
		// little), cancels and resumes their own, and lists theirs; readers set their price from their profile editor.
		{route: "GET /readers/{id}/subscribe", path: "/readers/{readerB}/subscribe?next=/streams/1", setup: subscriptionsToB,
			want: cells{same(303), 200, 200, 200, 409, 200}},
		{route: "POST /readers/{id}/subscribe", path: "/readers/{readerB}/subscribe", setup: subscriptionsToB, want: cells{401, 303, 303, 402, 409, 402},
			form: url.Values{"next": {"/subscriptions"}}},
		{route: "POST /readers/{id}/unsubscribe", path: "/readers/{readerB}/unsubscribe", setup: subscribedToB, want: cells{401, 303, 303, 404, 404, 404}},
		{route: "GET /subscriptions", path: "/subscriptions", setup: subscribedToB, want: usersPage(200)},
		{route: "POST /reader/subscription", path: "/reader/subscription", want: readersOnly(303), form: url.Values{"price": {"4.99"}}},
		{route: "GET /reader/live", path: "/reader/live", setup: streamOfA, want: readersPage(200)},
		{route: "POST /reader/live", path: "/reader/live", setup: noLiveStreams, want: readersOnly(303), form: url.Values{"title": {"Matrix live {n}"}, "visibility": {"public"}}},
		{route: "POST /reader/live/end", path: "/reader/live/end", setup: streamOfA, want: readersOnly(303)},
		// LIV-2, LIV-8: a stream's reader or an admin ends it from its page; the reader, their moderators and admins see
		// its moderation panel; readers appoint and remove their moderators from the go-live page.
		{route: "POST /streams/{id}/end", path: "/streams/{stream}/end", setup: streamOfA, want: cells{401, 403, 403, 303, 403, 303}},
		{route: "GET /streams/{id}/moderation", path: "/streams/{stream}/moderation", setup: streamOfA, want: cells{same(303), 403, 403, 200, 403, 200}},
		{route: "POST /reader/live/moderators", path: "/reader/live/moderators", want: readersOnly(303), form: url.Values{"user_id": {"{clientB}"}}},
		{route: "POST /reader/live/moderators/{user_id}/remove", path: "/reader/live/moderators/{clientB}/remove", want: readersOnly(303)},
		// Flags, the moderation queue and uploads (COM-3 … COM-6).
		{route: "GET /flag", path: "/flag?target_type=profile&target_id={readerA}&next=/readers/{readerA}", want: usersPage(200)},
		{route: "POST /flag", path: "/flag", want: cells{401, 303, 303, 400, 303, 303}, // one's own profile cannot be flagged
			form: url.Values{"target_type": {"profile"}, "target_id": {"{readerA}"}, "reason": {"spam"}, "next": {"/readers/{readerA}"}}},
		{route: "GET /admin/flags", path: "/admin/flags", setup: flagOfReaderA, want: adminsPage(200)},
		{route: "POST /admin/flags/{id}", path: "/admin/flags/{flag}", setup: flagOfReaderA, want: adminsOnly(303), form: url.Values{"action": {"dismiss"}}},
		{route: "GET /uploads/{id}/{name}", path: "/uploads/{upload}/{uploadname}", setup: uploadOfA, want: cells{404, 200, 404, 404, 404, 200}}, // not posted yet
		{route: "GET /admin/gifts", path: "/admin/gifts", want: adminsPage(200)},
		{route: "GET /admin/forum", path: "/admin/forum", want: adminsPage(200)},
		{route: "POST /admin/forum", path: "/admin/forum", want: adminsOnly(303), form: url.Values{"name": {"Matrix page {n}"}, "sort_order": {"5"}}},
		{route: "POST /admin/forum/{id}", path: "/admin/forum/{fcat}", setup: forumThreadOfA, want: adminsOnly(303),
			form: url.Values{"name": {"{fname}"}, "slug": {"{fslug}"}, "sort_order": {"0"}}},
		{route: "POST /admin/gifts", path: "/admin/gifts", want: adminsOnly(303), form: url.Values{"name": {"Matrix page {n}"}, "price": {"2"}, "animation": {"star"}, "sort_order": {"900"}, "active": {"on"}}},
		{route: "POST /admin/gifts/{id}", path: "/admin/gifts/{gift}", setup: giftFormOfCatalog, want: adminsOnly(303),
			form: url.Values{"name": {"{giftname}"}, "price": {"{giftprice}"}, "animation": {"{giftanim}"}, "sort_order": {"{giftorder}"}, "active": {"on"}}},

		// SCH-4, SCH-5, SCH-7: anyone signed in may book (a reader not herself; the reader B and the
		// admin hold no money); a booking is its client's, its reader's and the admins' alone.
		{route: "GET /readers/{id}/book", path: "/readers/{readerA}/book?starts_at={freetimeq}&duration=30&modality=text", setup: freeTimeInQueryA,
			want: cells{same(303), 200, 200, 400, 200, 200}},
		{route: "POST /readers/{id}/book", path: "/readers/{readerA}/book", setup: freeTimeA, want: cells{401, 303, 303, 400, 402, 402},
			form: url.Values{"starts_at": {"{freetime}"}, "duration": {"30"}, "modality": {"text"}, "request_key": {"matrix-{n}"}}},
		{route: "GET /bookings", path: "/bookings", want: usersPage(200)},
		{route: "GET /bookings/{id}", path: "/bookings/{apibooking}", setup: apiBookingOfA, want: cells{same(303), 200, 404, 200, 404, 200}},
		{route: "POST /bookings/{id}/cancel", path: "/bookings/{apibooking}/cancel", setup: apiBookingOfA, want: cells{401, 303, 404, 303, 404, 303}},
		{route: "GET /bookings/{id}/calendar.ics", path: "/bookings/{apibooking}/calendar.ics", setup: apiBookingOfA,
			want: cells{same(303), 200, 404, 200, 404, 200}},

		// Messages (MSG-1, MSG-4, MSG-5): a conversation is its two parties' alone.
		{route: "GET /messages", path: "/messages?q=Matrix", want: usersPage(200)},
		{route: "GET /messages/new", path: "/messages/new?to={readerA}", want: cells{same(303), 303, 200, 404, 404, 403}},
		{route: "POST /messages", path: "/messages", form: url.Values{"to_user_id": {"{readerA}"}, "body": {"Hello from {who}"}},
			want: cells{401, 303, 303, 404, 404, 403}},
		{route: "POST /messages/{id}/unlock", path: "/messages/{paid}/unlock", setup: lockedReplyOfA, want: cells{401, 303, 404, same(303), 404, 404}},
		{route: "GET /conversations/{id}", path: "/conversations/{convA}", want: cells{same(303), 200, 404, 200, 404, 404}},

		// Forum (COM-1, COM-2).
		{route: "GET /forum", path: "/forum", want: anyone(200)},
		{route: "GET /forum/search", path: "/forum/search?q=matrix", want: anyone(200)},
		{route: "GET /forum/c/{slug}", path: "/forum/c/{fslug}", setup: forumThreadOfA, want: anyone(200)},
		{route: "GET /forum/c/{slug}/new", path: "/forum/c/{fslug}/new", setup: forumThreadOfA, want: usersPage(200)},
		{route: "POST /forum/c/{slug}/threads", path: "/forum/c/{fslug}/threads", setup: forumThreadOfA, want: users(303),
			form: url.Values{"title": {"Matrix {n}"}, "body": {"Hello from {who}"}}},
		{route: "GET /forum/t/{id}", path: "/forum/t/{thread}", setup: forumThreadOfA, want: anyone(200)},
		{route: "POST /forum/t/{id}/posts", path: "/forum/t/{thread}/posts", setup: forumThreadOfA, want: users(303), form: url.Values{"body": {"Reply {n}"}}},
		{route: "POST /forum/t/{id}/moderate", path: "/forum/t/{thread}/moderate", setup: forumThreadOfA, want: adminsOnly(303), form: url.Values{"pinned": {"true"}}},
		{route: "GET /forum/posts/{id}", path: "/forum/posts/{post}", setup: forumThreadOfA, want: anyone(303)},
		{route: "GET /forum/posts/{id}/edit", path: "/forum/posts/{post}/edit", setup: forumThreadOfA, want: cells{same(303), 200, 403, 403, 403, 200}},
		{route: "POST /forum/posts/{id}/edit", path: "/forum/posts/{post}/edit", setup: forumThreadOfA, want: cells{401, 303, 403, 403, 403, 303},
			form: url.Values{"body": {"Edited {n}"}}},
		{route: "POST /forum/posts/{id}/delete", path: "/forum/posts/{post}/delete", setup: forumThreadOfA, want: cells{401, 303, 403, 403, 403, 303}},
		{route: "GET /forum/posts/{id}/revisions", path: "/forum/posts/{post}/revisions", setup: forumThreadOfA, want: adminsPage(200)},

		// Reader pages.
		{route: "GET /reader/dashboard", path: "/reader/dashboard", want: readersPage(200)},
		{route: "GET /reader/profile", path: "/reader/profile", want: readersPage(200)},
		{route: "POST /reader/profile", path: "/reader/profile", want: readersOnly(303), form: profile},
		{route: "POST /reader/avatar", path: "/reader/avatar", want: readersOnly(303), raw: avatarForm},
		{route: "POST /reader/presence", path: "/reader/presence", want: readersOnly(303), form: url.Values{"status": {"online"}}},
		{route: "GET /reader/readings", path: "/reader/readings", want: readersPage(200)},
		// SCH-1, SCH-2: a reader's availability is theirs alone.
		{route: "GET /reader/availability", path: "/reader/availability", want: readersPage(200)},
		{route: "POST /reader/availability", path: "/reader/availability", want: readersOnly(303), form: weeklyHours},
		{route: "POST /reader/availability/openings", path: "/reader/availability/openings", want: readersOnly(303),
			form: url.Values{"date": {"{date}"}, "time": {"10:00"}, "duration_minutes": {"30"}}},
		{route: "POST /reader/availability/time-off", path: "/reader/availability/time-off", want: readersOnly(303),
			form: url.Values{"from_date": {"{date}"}, "from_time": {"12:00"}, "to_date": {"{date}"}, "to_time": {"14:00"}}},
		{route: "POST /reader/clients/{id}/note", path: "/reader/clients/{clientA}/note", setup: clientNoteOfA, form: url.Values{"body": {"Likes tarot"}},
			want: cells{401, 403, 403, 303, same(303), 403}},
		{route: "POST /reader/reviews/{id}/reply", path: "/reader/reviews/{reviewed}/reply", setup: reviewedA, form: url.Values{"body": {"Thank you, {who}"}},
			want: cells{401, 403, 403, 303, 404, 403}},

		// Admin pages.
		{route: "GET /admin", path: "/admin", want: adminsPage(200)},
		{route: "GET /admin/users", path: "/admin/users", want: adminsPage(200)},
		{route: "POST /admin/users/{id}/role", path: "/admin/users/{clientA}/role", want: adminsOnly(303), form: url.Values{"role": {"client"}}},
		{route: "GET /admin/readers", path: "/admin/readers", want: adminsPage(200)},
		{route: "POST /admin/readers/{id}/verify", path: "/admin/readers/{readerA}/verify", want: adminsOnly(303), form: url.Values{"verified": {"true"}}},
		{route: "POST /admin/readers/{id}/kyc", path: "/admin/readers/{readerA}/kyc", want: adminsOnly(303), form: url.Values{"kyc_status": {"approved"}}},
		{route: "GET /admin/applications", path: "/admin/applications", want: adminsPage(200)},
		{route: "POST /admin/applications/{id}/approve", path: "/admin/applications/{application}/approve", setup: pendingApplication, want: adminsOnly(303)},
		{route: "POST /admin/applications/{id}/reject", path: "/admin/applications/{application}/reject", setup: pendingApplication, want: adminsOnly(303),
			form: url.Values{"reason": {"Please write a longer sample reading."}}},
		{route: "GET /admin/outbox", path: "/admin/outbox", want: adminsPage(200)},
		{route: "GET /admin/bookings", path: "/admin/bookings", want: adminsPage(200)},
		{route: "GET /admin/refunds/{$}", path: "/admin/refunds/", want: adminsPage(200)},
		{route: "POST /admin/refunds/{$}", path: "/admin/refunds/", want: adminsOnly(303),
			form: url.Values{"kind": {"wallet"}, "transfer_id": {"{charge}"}, "amount": {"0.01"}, "reason": {"matrix"}, "key": {"matrix-{n}"}}},
		{route: "POST /admin/refunds/{id}/resolve", path: "/admin/refunds/{refund}/resolve", setup: refundInReview, want: adminsOnly(303),
			form: url.Values{"action": {"confirm"}}},
		{route: "POST /admin/adjustments", path: "/admin/adjustments", want: adminsOnly(303),
			form: url.Values{"user_id": {"{clientA}"}, "amount": {"0.01"}, "direction": {"credit"}, "reason": {"matrix"}, "key": {"matrix-{n}"}}},
		{route: "POST /admin/adjustments/{id}/decide", path: "/admin/adjustments/{request}/decide", setup: selfCredit, want: adminsOnly(303),
			form: url.Values{"decision": {"approve"}}},
		{route: "GET /admin/reconciliation", path: "/admin/reconciliation", want: adminsPage(200)},
		{route: "GET /admin/claims", path: "/admin/claims", want: adminsPage(200)},
		{route: "POST /admin/claims/{id}", path: "/admin/claims/{claim}", setup: pendingClaim, want: adminsOnly(303),
			form: url.Values{"decision": {"approve"}, "note": {"Refunded"}}},
		{route: "GET /admin/audit", path: "/admin/audit", want: adminsPage(200)},
		{route: "GET /reader/payouts", path: "/reader/payouts", want: readersPage(200)}, // payouts (EXT-3, SEC-4)
		{route: "POST /reader/payouts/onboarding", path: "/reader/payouts/onboarding", want: readersOnly(303)},
		{route: "GET /reader/payouts/onboarding", path: "/reader/payouts/onboarding", want: readersPage(303)},
		{route: "GET /reader/payouts/test-onboarding", path: "/reader/payouts/test-onboarding", want: readersPage(200)},
		{route: "POST /reader/payouts/test-onboarding", path: "/reader/payouts/test-onboarding", want: readersOnly(303)},
		{route: "GET /admin/payouts", path: "/admin/payouts", want: adminsPage(200)},
		{route: "POST /admin/payouts/run", path: "/admin/payouts/run", want: adminsOnly(303)},
		{route: "POST /admin/payouts/holds", path: "/admin/payouts/holds", setup: payoutReadyA, want: adminsOnly(303),
			form: url.Values{"reader_id": {"{readerA}"}, "reason": {"Matrix check"}}},
		{route: "POST /admin/payouts/holds/{id}/release", path: "/admin/payouts/holds/{readerA}/release", setup: payoutHeldA, want: adminsOnly(303)},
		{route: "POST /admin/payouts/{id}/retry", path: "/admin/payouts/{payout}/retry", setup: failedPayoutOfA, want: adminsOnly(303)},

		// Shop pages (SHOP-1 … SHOP-8): anyone browses and fills a cart; anyone with the money checks out (readers
		// and the admin hold none); an order is its buyer's and the admins', a download link its buyer's alone.
		{route: "GET /shop", path: "/shop?kind=digital&in_stock=1&q=matrix", setup: apiShopOfA, want: anyone(200)},
		{route: "GET /shop/products/{id}", path: "/shop/products/{apidigital}", setup: apiShopOfA, want: anyone(200)},
		{route: "GET /shop/cart", path: "/shop/cart", want: anyone(200)},
		{route: "POST /shop/cart", path: "/shop/cart", setup: apiShopOfA, want: anyone(303),
			form: url.Values{"action": {"add"}, "product_id": {"{apidigital}"}, "quantity": {"1"}}},
		{route: "GET /shop/checkout", path: "/shop/checkout", setup: apiShopOfA, want: usersPage(200), raw: shopCartCookie},
		{route: "POST /shop/checkout", path: "/shop/checkout", setup: apiShopOfA, want: cells{401, 303, 303, 402, 402, 402}, raw: shopCheckoutForm},
		{route: "GET /shop/orders", path: "/shop/orders", want: usersPage(200)},
		{route: "GET /shop/orders/{id}", path: "/shop/orders/{apiorder}", setup: apiShopOfA, want: cells{same(303), 200, 404, 404, 404, 200}},
		{route: "POST /shop/orders/{id}/downloads", path: "/shop/orders/{apiorder}/downloads", setup: shopDownloadOfA, want: cells{401, 303, 404, 404, 404, 404},
			form: url.Values{"item": {"{shopitem}"}}},
		{route: "GET /shop/downloads/{item}", path: "{shopdownload}", setup: shopDownloadOfA, want: cells{same(303), 200, 403, 403, 403, 403}},
		{route: "GET /admin/shop", path: "/admin/shop", setup: apiShopOfA, want: adminsPage(200)},
		{route: "POST /admin/shop/sync", path: "/admin/shop/sync", setup: apiShopCatalogInStripe, want: adminsOnly(303)},
		{route: "GET /admin/shop/products/new", path: "/admin/shop/products/new", want: adminsPage(200)},
		{route: "POST /admin/shop/products/new", path: "/admin/shop/products/new", want: adminsOnly(303),
			form: url.Values{"name": {"Matrix page {n}"}, "kind": {"physical"}, "price": {"4.50"}, "stock": {"3"}, "active": {"on"}}},
		{route: "GET /admin/shop/products/{id}", path: "/admin/shop/products/{apidigital}", setup: apiShopOfA, want: adminsPage(200)},
		{route: "POST /admin/shop/products/{id}", path: "/admin/shop/products/{apidigital}", setup: apiShopOfA, want: adminsOnly(303),
			form: url.Values{"name": {"Matrix guide"}, "kind": {"digital"}, "price": {"3.00"}, "unlimited": {"on"}, "active": {"on"}, "category": {"Page {n}"}}},
		{route: "GET /admin/shop/coupons", path: "/admin/shop/coupons", setup: apiShopOfA, want: adminsPage(200)},
		{route: "POST /admin/shop/coupons", path: "/admin/shop/coupons", want: adminsOnly(303), form: url.Values{"code": {"PAGE-{n}"}, "percent_off": {"15"}}},
		{route: "POST /admin/shop/coupons/{id}", path: "/admin/shop/coupons/{apicoupon}", setup: apiShopOfA, want: adminsOnly(303), form: url.Values{"active": {"true"}}},
		{route: "GET /admin/shop/orders", path: "/admin/shop/orders?state=delivered", setup: apiShopOfA, want: adminsPage(200)},
		{route: "GET /admin/shop/orders/{id}", path: "/admin/shop/orders/{apiorder}", setup: apiShopOfA, want: adminsPage(200)},
		{route: "POST /admin/shop/orders/{id}/ship", path: "/admin/shop/orders/{apiparcel}/ship", setup: apiShopParcelOfA, want: adminsOnly(303),
			form: url.Values{"carrier": {"USPS"}, "tracking_number": {"9400 {n}"}}},
		{route: "POST /admin/shop/orders/{id}/deliver", path: "/admin/shop/orders/{apiparcel}/deliver", setup: apiShopParcelShippedOfA, want: adminsOnly(303)},
		{route: "POST /admin/shop/orders/{id}/refund", path: "/admin/shop/orders/{apiparcel}/refund", setup: apiShopParcelOfA, want: adminsOnly(303),
			form: url.Values{"reason": {"Matrix refund"}}},

		// JSON API.
		{route: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json", want: anyone(200)},
		{route: "POST /api/v1/auth/signup", path: "/api/v1/auth/signup", want: anyone(201),
			body: `{"email": "new-{who}-{n}@example.com", "password": "tea leaves at dawn", "display_name": "New {who}"}`},
		{route: "POST /api/v1/auth/login", path: "/api/v1/auth/login", want: anyone(200), body: `{"email": "sam@example.com", "password": "` + apptest.Password + `"}`},
		{route: "POST /api/v1/auth/logout", path: "/api/v1/auth/logout", want: anyone(204)},
		{route: "POST /api/v1/auth/tokens", path: "/api/v1/auth/tokens", want: users(201), body: `{"name": "script of {who}"}`},
		{route: "GET /api/v1/auth/tokens", path: "/api/v1/auth/tokens", want: users(200)},
		{route: "DELETE /api/v1/auth/tokens/{id}", path: "/api/v1/auth/tokens/{token}", setup: spareTokenOfA, want: cells{401, 204, 404, 404, 404, 404}},
		{route: "POST /api/v1/auth/password/forgot", path: "/api/v1/auth/password/forgot", want: anyone(202), body: `{"email": "rae@example.com"}`},
		{route: "POST /api/v1/auth/password/reset", path: "/api/v1/auth/password/reset", want: anyone(200), setup: resetLink,
			body: `{"token": "{reset}", "password": "tea leaves at dawn"}`},
		{route: "GET /api/v1/me", path: "/api/v1/me", want: users(200)},
		{route: "PATCH /api/v1/me", path: "/api/v1/me", want: users(200), body: `{"display_name": "Name {who}", "time_zone": "Asia/Tokyo"}`},
		{route: "GET /api/v1/me/dashboard", path: "/api/v1/me/dashboard", want: users(200)},
		{route: "GET /api/v1/me/sessions", path: "/api/v1/me/sessions", want: users(200)},
		{route: "DELETE /api/v1/me/sessions/{id}", path: "/api/v1/me/sessions/{mysession}", setup: sessionOfA, want: cells{401, 204, 404, 404, 404, 404}},
		{route: "GET /api/v1/me/2fa", path: "/api/v1/me/2fa", want: users(200)}, // two-factor sign-in (ACC-7): readers and admins have it on
		{route: "POST /api/v1/me/2fa/enroll", path: "/api/v1/me/2fa/enroll", want: cells{401, 200, 200, 409, 409, 409}},
		{route: "POST /api/v1/me/2fa/confirm", path: "/api/v1/me/2fa/confirm", want: users(400), body: `{"code": ""}`},
		{route: "POST /api/v1/me/2fa/recovery-codes", path: "/api/v1/me/2fa/recovery-codes", want: users(400), body: `{"code": ""}`},
		{route: "POST /api/v1/me/2fa/disable", path: "/api/v1/me/2fa/disable", want: users(400), body: `{"code": ""}`},
		{route: "POST /api/v1/me/export", path: "/api/v1/me/export", setup: noExports, want: users(202)}, // a copy of one's data (SEC-1)
		{route: "GET /api/v1/me/export", path: "/api/v1/me/export", setup: exportOfA, want: cells{401, 200, 404, 404, 404, 404}},
		{route: "GET /api/v1/me/deletion", path: "/api/v1/me/deletion", want: users(200)}, // account deletion (SEC-2), as on its pages
		{route: "POST /api/v1/me/deletion", path: "/api/v1/me/deletion", want: users(400),
			body: `{"current_password": "not my password"}`},
		{route: "POST /api/v1/account-deletions/confirm", path: "/api/v1/account-deletions/confirm", want: anyone(400), body: `{"token": "not-a-link"}`},
		{route: "GET /api/v1/me/reader-application", path: "/api/v1/me/reader-application", setup: clientsApplied, want: cells{401, 200, 200, 404, 404, 404}},
		{route: "POST /api/v1/me/reader-application", path: "/api/v1/me/reader-application", setup: noApplicationWaiting, want: cells{401, 201, 201, 409, 409, 409},
			body: `{"display_name": "Seer {who}", "specialties": ["tarot"], "years_experience": 4, "languages": ["English"], "kyc_consent": true,
				"bio": "I read tarot for people at a crossroads, gently and honestly, since 2019.",
				"sample_reading": "` + strings.Repeat("The Star card speaks of hope returning after a hard season. ", 5) + `"}`},
		{route: "GET /api/v1/ws", path: "/api/v1/ws", want: users(101), live: true},
		{route: "GET /api/v1/me/favorites", path: "/api/v1/me/favorites", want: users(200)},
		{route: "PUT /api/v1/me/favorites/{id}", path: "/api/v1/me/favorites/{readerA}", want: cells{401, 204, 204, 400, 204, 204}},
		{route: "DELETE /api/v1/me/favorites/{id}", path: "/api/v1/me/favorites/{readerA}", setup: favouredA,
			want: cells{401, 204, same(204), same(204), same(204), same(204)}},
		{route: "PUT /api/v1/me/reader-profile", path: "/api/v1/me/reader-profile", want: readersOnly(200),
			body: `{"display_name": "Reader {who}", "rates": {"text": 199, "voice": 399}}`},
		{route: "PUT /api/v1/me/reader-profile/avatar", path: "/api/v1/me/reader-profile/avatar", want: readersOnly(200), raw: avatarImage},
		{route: "POST /api/v1/me/presence", path: "/api/v1/me/presence", want: readersOnly(200), body: `{"status": "online"}`},
		{route: "GET /api/v1/me/availability", path: "/api/v1/me/availability", want: readersOnly(200)},
		{route: "PUT /api/v1/me/availability", path: "/api/v1/me/availability", want: readersOnly(200),
			body: `{"time_zone": "Europe/London", "weekly": [{"weekday": "monday", "start": "09:00", "end": "12:30"}], "durations": [30, 60],
				"buffer_minutes": 10, "min_notice_minutes": 60, "max_days_ahead": 28, "prices": {"30": 4500}}`},
		{route: "POST /api/v1/me/slots", path: "/api/v1/me/slots", want: readersOnly(201), raw: openingJSON},
		{route: "POST /api/v1/me/time-off", path: "/api/v1/me/time-off", want: readersOnly(201), raw: timeOffJSON},
		{route: "GET /api/v1/wallet", path: "/api/v1/wallet", want: users(200)},
		{route: "GET /api/v1/wallet/entries", path: "/api/v1/wallet/entries", want: users(200)},
		{route: "POST /api/v1/wallet/topups", path: "/api/v1/wallet/topups", want: users(201), body: `{"amount_cents": 2500}`},
		{route: "GET /api/v1/me/spending-limits", path: "/api/v1/me/spending-limits", want: users(200)}, // spending limits (WAL-11)
		{route: "PUT /api/v1/me/spending-limits", path: "/api/v1/me/spending-limits", setup: noLimits, want: users(200),
			body: `{"per_reading_cents": null, "daily_cents": 100000, "monthly_cents": null}`},
		{route: "POST /api/v1/me/spending-limits/pause", path: "/api/v1/me/spending-limits/pause", setup: noLimits, want: users(200), body: `{"days": 1}`},
		{route: "DELETE /api/v1/me/spending-limits/pause", path: "/api/v1/me/spending-limits/pause", setup: noLimits, want: users(200)},
		{route: "GET /api/v1/me/auto-reload", path: "/api/v1/me/auto-reload", want: users(200)}, // auto-reload (WAL-12)
		{route: "PUT /api/v1/me/auto-reload", path: "/api/v1/me/auto-reload", setup: noAutoReload, want: users(200), body: `{"threshold_cents": 1000, "amount_cents": 2500}`},
		{route: "DELETE /api/v1/me/auto-reload", path: "/api/v1/me/auto-reload", want: users(200)},
		{route: "GET /api/v1/wallet/topups/{id}", path: "/api/v1/wallet/topups/{topup}", want: cells{401, 200, 404, 404, 404, 200}},
		{route: "POST /api/v1/readings", path: "/api/v1/readings", setup: noOpenReading, body: `{"reader_id": {readerA}, "modality": "text"}`,
			want: cells{401, 201, 201, 400, 402, 402}}, // reader A asks herself, reader B and the admin hold no money
		{route: "GET /api/v1/readings", path: "/api/v1/readings", want: users(200)},
		{route: "GET /api/v1/readings/{id}", path: "/api/v1/readings/{done}", want: cells{401, 200, 404, 200, 404, 200}},
		{route: "POST /api/v1/readings/{id}/accept", path: "/api/v1/readings/{open}/accept", setup: waitingReading, want: cells{401, 403, 403, 200, 404, 403}},
		{route: "POST /api/v1/readings/{id}/decline", path: "/api/v1/readings/{open}/decline", setup: waitingReading, want: cells{401, 403, 403, 200, 404, 403}},
		{route: "POST /api/v1/readings/{id}/end", path: "/api/v1/readings/{open}/end", setup: runningReading, want: cells{401, 200, 404, 200, 404, 404}},
		{route: "POST /api/v1/readings/{id}/resume", path: "/api/v1/readings/{open}/resume", setup: pausedReading, want: cells{401, 200, 404, 200, 404, 404}},
		{route: "GET /api/v1/readings/{id}/ws", path: "/api/v1/readings/{done}/ws", want: cells{401, 101, 404, 101, 404, 101}, live: true},
		{route: "GET /api/v1/readings/{id}/messages", path: "/api/v1/readings/{done}/messages", want: cells{401, 200, 404, 200, 404, 200}},
		{route: "POST /api/v1/readings/{id}/messages", path: "/api/v1/readings/{open}/messages", setup: runningReading, body: `{"body": "Hello from {who}"}`,
			want: cells{401, 201, 404, 201, 404, 404}},
		{route: "POST /api/v1/readings/{id}/agora-token", path: "/api/v1/readings/{open}/agora-token", setup: runningVoiceReading,
			want: cells{401, 200, 404, 200, 404, 403}},
		{route: "POST /api/v1/readings/{id}/review", path: "/api/v1/readings/{finished}/review", setup: finishedReading, body: `{"rating": 5, "body": "Clear and kind"}`,
			want: cells{401, 201, 404, 404, 404, 404}},
		{route: "POST /api/v1/readings/{id}/claim", path: "/api/v1/readings/{finished}/claim", setup: finishedReading, body: `{"reason": "other", "details": "Not what I hoped"}`,
			want: cells{401, 201, 404, 404, 404, 404}},
		{route: "PUT /api/v1/readings/{id}/note", path: "/api/v1/readings/{done}/note", setup: readingNoteOfA, body: `{"body": "Ask about the move"}`,
			want: cells{401, 204, 404, 404, 404, 404}},
		{route: "PUT /api/v1/readings/{id}/review/reply", path: "/api/v1/readings/{reviewed}/review/reply", setup: reviewedA, body: `{"body": "Thank you, {who}"}`,
			want: cells{401, 403, 403, 200, 404, 403}},
		// SCH-6: only a booking's parties use its room; admins may read its chat.
		{route: "GET /api/v1/bookings/{id}/ws", path: "/api/v1/bookings/{soon}/ws", setup: roomOpenOfA, want: cells{401, 101, 404, 101, 404, 404}, live: true},
		{route: "GET /api/v1/bookings/{id}/messages", path: "/api/v1/bookings/{soon}/messages", setup: roomChatOfA, want: cells{401, 200, 404, 200, 404, 200}},
		{route: "POST /api/v1/bookings/{id}/messages", path: "/api/v1/bookings/{soon}/messages", setup: roomOpenOfA, body: `{"body": "Hello from {who}"}`,
			want: cells{401, 201, 404, 201, 404, 404}},
		{route: "POST /api/v1/bookings/{id}/agora-token", path: "/api/v1/bookings/{voiceroom}/agora-token", setup: voiceRoomOfA,
			want: cells{401, 200, 404, 200, 404, 404}},
		{route: "POST /api/v1/messages", path: "/api/v1/messages", body: `{"to_user_id": {readerA}, "body": "Hello from {who}"}`,
			want: cells{401, 201, 201, 404, 404, 403}},
		{route: "GET /api/v1/messages", path: "/api/v1/messages?q=Matrix", want: users(200)},
		{route: "POST /api/v1/messages/{id}/unlock", path: "/api/v1/messages/{paid}/unlock", setup: lockedReplyOfA, want: cells{401, 200, 404, 409, 404, 404}},
		{route: "GET /api/v1/conversations", path: "/api/v1/conversations", want: users(200)},
		{route: "GET /api/v1/conversations/{id}/messages", path: "/api/v1/conversations/{convA}/messages", want: cells{401, 200, 404, 200, 404, 404}},
		{route: "POST /api/v1/conversations/{id}/read", path: "/api/v1/conversations/{convA}/read", want: cells{401, 200, 404, 200, 404, 404}},
		{route: "PUT /api/v1/clients/{id}/note", path: "/api/v1/clients/{clientA}/note", setup: clientNoteOfA, body: `{"body": "Likes tarot"}`,
			want: cells{401, 403, 403, 204, 404, 403}},
		{route: "GET /api/v1/readers/{id}/queue", path: "/api/v1/readers/{readerA}/queue", want: users(200)}, // the caller's own place
		{route: "POST /api/v1/readers/{id}/queue", path: "/api/v1/readers/{readerA}/queue", body: `{"modality": "text"}`,
			want: cells{401, 200, 200, 400, 200, 200}},
		{route: "DELETE /api/v1/readers/{id}/queue", path: "/api/v1/readers/{readerA}/queue", setup: queuedA,
			want: cells{401, 204, same(204), same(204), same(204), same(204)}},
		{route: "GET /api/v1/notifications", path: "/api/v1/notifications", want: users(200)},
		{route: "POST /api/v1/notifications/read", path: "/api/v1/notifications/read", body: `{"all": true}`, want: users(200)},
		{route: "GET /api/v1/me/notification-preferences", path: "/api/v1/me/notification-preferences", want: users(200)},
		{route: "PUT /api/v1/me/notification-preferences", path: "/api/v1/me/notification-preferences", want: users(200),
			body: `{"preferences": [{"kind": "message", "in_app": true, "email": false}]}`},
		{route: "PUT /api/v1/readers/{id}/notify-online", path: "/api/v1/readers/{readerA}/notify-online", want: cells{401, 204, 204, 403, 403, 403}},
		{route: "DELETE /api/v1/readers/{id}/notify-online", path: "/api/v1/readers/{readerA}/notify-online", setup: watchingA,
			want: cells{401, 204, same(204), same(204), same(204), same(204)}},
		{route: "GET /api/v1/blocks", path: "/api/v1/blocks", want: users(200)},
		{route: "PUT /api/v1/blocks/{user_id}", path: "/api/v1/blocks/{blockee}", want: cells{401, 200, 200, 400, 400, 403}}, // readers block clients
		{route: "DELETE /api/v1/blocks/{user_id}", path: "/api/v1/blocks/{blockee}", setup: blockedByA,
			want: cells{401, 204, same(204), same(204), same(204), same(204)}},
		{route: "GET /api/v1/readers", path: "/api/v1/readers", want: anyone(200)},
		{route: "GET /api/v1/readers/presence", path: "/api/v1/readers/presence?ids={readerA}", want: anyone(200)},
		{route: "GET /api/v1/readers/{id}", path: "/api/v1/readers/{readerA}", want: anyone(200)},
		{route: "GET /api/v1/readers/{id}/reviews", path: "/api/v1/readers/{readerA}/reviews", want: anyone(200)},
		{route: "GET /api/v1/readers/{id}/slots", path: "/api/v1/readers/{readerA}/slots?duration=30", want: anyone(200)},
		{route: "GET /api/v1/slots", path: "/api/v1/slots?modality=text", want: anyone(200)},
		// SCH-4 to SCH-7: anyone signed in may book (a reader not herself; reader B and the admin hold no
		// money); a booking is its client's, its reader's and the admins' alone; only its parties join its room.
		{route: "POST /api/v1/bookings", path: "/api/v1/bookings", setup: freeTimeA, want: cells{401, 201, 201, 400, 402, 402},
			body: `{"reader_id": {readerA}, "starts_at": "{freetime}", "duration_minutes": 30, "modality": "text"}`},
		{route: "GET /api/v1/bookings", path: "/api/v1/bookings", want: users(200)},
		{route: "GET /api/v1/bookings/{id}", path: "/api/v1/bookings/{apibooking}", setup: apiBookingOfA, want: cells{401, 200, 404, 200, 404, 200}},
		{route: "POST /api/v1/bookings/{id}/cancel", path: "/api/v1/bookings/{apibooking}/cancel", setup: apiBookingOfA,
			want: cells{401, 200, 404, 200, 404, 200}},
		{route: "POST /api/v1/bookings/{id}/join", path: "/api/v1/bookings/{soon}/join", setup: roomOpenOfA, want: cells{401, 200, 404, 200, 404, 404}},
		{route: "GET /api/v1/bookings/{id}/calendar.ics", path: "/api/v1/bookings/{apibooking}/calendar.ics", setup: apiBookingOfA,
			want: cells{401, 200, 404, 200, 404, 200}},
		// LIV-1 to LIV-9, AGO-4, ACC-3: verified readers go live; a stream is ended by its reader or an admin;
		// what its viewers do needs what CanWatch asks (a premium stream: a ticket, else 402); gifts and tickets
		// need money (reader B and the admin hold none); readers neither gift nor buy tickets for their own stream.
		{route: "POST /api/v1/streams", path: "/api/v1/streams", setup: noLiveStreams, want: cells{401, 403, 403, 201, 201, 403},
			body: `{"title": "Live from {who}", "visibility": "public"}`},
		{route: "GET /api/v1/streams", path: "/api/v1/streams", want: anyone(200)},
		{route: "GET /api/v1/streams/{id}", path: "/api/v1/streams/{stream}", setup: streamOfA, want: anyone(200)},
		{route: "POST /api/v1/streams/{id}/end", path: "/api/v1/streams/{stream}/end", setup: streamOfA, want: cells{401, 403, 403, 200, 403, 200}},
		{route: "POST /api/v1/streams/{id}/join", path: "/api/v1/streams/{ticketed}/join", setup: ticketedOfA, want: cells{401, 200, 402, 200, 402, 200}},
		{route: "GET /api/v1/streams/{id}/ws", path: "/api/v1/streams/{ticketed}/ws", setup: ticketedOfA, want: cells{401, 101, 402, 101, 402, 101}, live: true},
		{route: "POST /api/v1/streams/{id}/tickets", path: "/api/v1/streams/{premium}/tickets", setup: premiumOfA, want: cells{401, 201, 201, 409, 402, 402}},
		{route: "GET /api/v1/streams/{id}/messages", path: "/api/v1/streams/{ticketed}/messages", setup: ticketedOfA, want: cells{401, 200, 402, 200, 402, 200}},
		{route: "POST /api/v1/streams/{id}/messages", path: "/api/v1/streams/{ticketed}/messages", setup: ticketedOfA, body: `{"body": "Hello from {who}"}`,
			want: cells{401, 201, 402, 201, 402, 201}},
		{route: "POST /api/v1/streams/{id}/gifts", path: "/api/v1/streams/{stream}/gifts", setup: streamOfA, want: cells{401, 201, 201, 403, 402, 402},
			body: `{"gift_id": {gift}, "quantity": 1, "idempotency_key": "matrix-{n}"}`},
		{route: "GET /api/v1/streams/{id}/top-gifters", path: "/api/v1/streams/{stream}/top-gifters", setup: streamOfA, want: anyone(200)},
		// LIV-7, LIV-8: the reader, their moderators and admins moderate a stream and see its viewers; readers appoint moderators.
		{route: "POST /api/v1/streams/{id}/moderation", path: "/api/v1/streams/{stream}/moderation", setup: streamOfA, want: cells{401, 403, 403, 204, 403, 204},
			body: `{"action": "unmute", "user_id": {clientB}}`},
		{route: "GET /api/v1/streams/{id}/viewers", path: "/api/v1/streams/{stream}/viewers", setup: streamOfA, want: cells{401, 403, 403, 200, 403, 200}},
		{route: "GET /api/v1/me/moderators", path: "/api/v1/me/moderators", want: readersOnly(200)},
		{route: "PUT /api/v1/me/moderators/{user_id}", path: "/api/v1/me/moderators/{admin}", want: readersOnly(200)},
		{route: "DELETE /api/v1/me/moderators/{user_id}", path: "/api/v1/me/moderators/{admin}", want: readersOnly(204)},
		// LIV-3: readers price their subscription; anyone with the money subscribes to a reader (not themself) and cancels their own.
		{route: "PUT /api/v1/me/subscription-price", path: "/api/v1/me/subscription-price", want: readersOnly(200), body: `{"price_cents": 0}`},
		{route: "GET /api/v1/me/subscriptions", path: "/api/v1/me/subscriptions", want: users(200)},
		{route: "GET /api/v1/readers/{id}/subscription", path: "/api/v1/readers/{readerB}/subscription", setup: subscriptionsToB, want: anyone(200)},
		{route: "PUT /api/v1/readers/{id}/subscription", path: "/api/v1/readers/{readerB}/subscription", setup: subscriptionsToB, want: cells{401, 201, 201, 402, 409, 402}},
		{route: "DELETE /api/v1/readers/{id}/subscription", path: "/api/v1/readers/{readerB}/subscription", setup: subscribedToB, want: cells{401, 200, 200, 404, 404, 404}},
		{route: "GET /api/v1/gifts", path: "/api/v1/gifts", want: anyone(200)},
		{route: "POST /api/v1/uploads", path: "/api/v1/uploads", want: users(201), raw: uploadForm},
		{route: "POST /api/v1/flags", path: "/api/v1/flags", want: cells{401, 201, 201, 201, 400, 201}, // one's own profile cannot be flagged
			body: `{"target_type": "profile", "target_id": {readerB}, "reason": "scam"}`},
		{route: "GET /api/v1/admin/flags", path: "/api/v1/admin/flags?status=pending", setup: flagOfReaderA, want: adminsOnly(200)},
		{route: "POST /api/v1/admin/flags/{id}", path: "/api/v1/admin/flags/{flag}", setup: flagOfReaderA, want: adminsOnly(200), body: `{"action": "dismiss"}`},
		{route: "GET /api/v1/admin/gifts", path: "/api/v1/admin/gifts", want: adminsOnly(200)},
		{route: "POST /api/v1/me/payouts/onboarding", path: "/api/v1/me/payouts/onboarding", want: readersOnly(200)}, // payouts (EXT-3, SEC-4)
		{route: "GET /api/v1/me/payouts", path: "/api/v1/me/payouts", want: readersOnly(200)},
		{route: "POST /api/v1/admin/payouts/run", path: "/api/v1/admin/payouts/run", want: adminsOnly(200), body: `{}`},
		{route: "GET /api/v1/admin/payouts", path: "/api/v1/admin/payouts", want: adminsOnly(200)},
		{route: "POST /api/v1/admin/gifts", path: "/api/v1/admin/gifts", want: adminsOnly(201), body: `{"name": "Matrix {n}", "price_cents": 300, "animation": "heart"}`},
		{route: "PUT /api/v1/admin/gifts/{id}", path: "/api/v1/admin/gifts/{gift}", setup: giftOfCatalog, want: adminsOnly(200),
			body: `{"name": "Sparkle", "price_cents": 100, "animation": "sparkle", "sort_order": 1}`},
		{route: "GET /api/v1/forum/categories", path: "/api/v1/forum/categories", want: anyone(200)},
		{route: "GET /api/v1/forum/categories/{slug}/threads", path: "/api/v1/forum/categories/{fslug}/threads?sort=top", setup: forumThreadOfA, want: anyone(200)},
		{route: "POST /api/v1/forum/categories/{slug}/threads", path: "/api/v1/forum/categories/{fslug}/threads", setup: forumThreadOfA, want: users(201),
			body: `{"title": "Matrix {n}", "body": "Hello *there*"}`},
		{route: "GET /api/v1/forum/threads/{id}", path: "/api/v1/forum/threads/{thread}", setup: forumThreadOfA, want: anyone(200)},
		{route: "POST /api/v1/forum/threads/{id}/posts", path: "/api/v1/forum/threads/{thread}/posts", setup: forumThreadOfA, want: users(201), body: `{"body": "Reply {n}"}`},
		{route: "PATCH /api/v1/forum/posts/{id}", path: "/api/v1/forum/posts/{post}", setup: forumThreadOfA, want: cells{401, 200, 403, 403, 403, 200},
			body: `{"body": "Edited {n}"}`},
		{route: "DELETE /api/v1/forum/posts/{id}", path: "/api/v1/forum/posts/{post}", setup: forumThreadOfA, want: cells{401, 204, 403, 403, 403, 204}},
		{route: "GET /api/v1/forum/search", path: "/api/v1/forum/search?q=matrix", want: anyone(200)},
		{route: "POST /api/v1/admin/forum/categories", path: "/api/v1/admin/forum/categories", want: adminsOnly(201), body: `{"name": "Matrix {n}", "readers_only": true}`},
		{route: "PUT /api/v1/admin/forum/categories/{id}", path: "/api/v1/admin/forum/categories/{fcat}", setup: forumThreadOfA, want: adminsOnly(200),
			body: `{"name": "{fname}", "slug": "{fslug}"}`},
		{route: "PATCH /api/v1/admin/forum/threads/{id}", path: "/api/v1/admin/forum/threads/{thread}", setup: forumThreadOfA, want: adminsOnly(200), body: `{"locked": true}`},
		{route: "GET /api/v1/admin/forum/posts/{id}/revisions", path: "/api/v1/admin/forum/posts/{post}/revisions", setup: forumThreadOfA, want: adminsOnly(200)},
		// SHOP-1 … SHOP-8: anyone browses; anyone with the money orders (readers and the admin hold none); an order
		// is its buyer's and the admins', its downloads its buyer's alone; admins keep the catalog and fulfil orders.
		{route: "GET /api/v1/shop/products", path: "/api/v1/shop/products?kind=digital&in_stock=true", setup: apiShopOfA, want: anyone(200)},
		{route: "GET /api/v1/shop/products/{id}", path: "/api/v1/shop/products/{apidigital}", setup: apiShopOfA, want: anyone(200)},
		{route: "POST /api/v1/shop/orders", path: "/api/v1/shop/orders", setup: apiShopOfA, want: cells{401, 201, 201, 402, 402, 402},
			body: `{"items": [{"product_id": {apidigital}, "quantity": 1}], "pay_with": "wallet"}`},
		{route: "GET /api/v1/shop/orders", path: "/api/v1/shop/orders", want: users(200)},
		{route: "GET /api/v1/shop/orders/{id}", path: "/api/v1/shop/orders/{apiorder}", setup: apiShopOfA, want: cells{401, 200, 404, 404, 404, 200}},
		{route: "GET /api/v1/shop/orders/{id}/downloads", path: "/api/v1/shop/orders/{apiorder}/downloads", setup: apiShopOfA, want: cells{401, 200, 404, 404, 404, 404}},
		{route: "POST /api/v1/admin/shop/products", path: "/api/v1/admin/shop/products", want: adminsOnly(201),
			body: `{"name": "Matrix candle {n}", "kind": "physical", "price_cents": 900, "stock": 3, "category": "Candles"}`},
		{route: "PATCH /api/v1/admin/shop/products/{id}", path: "/api/v1/admin/shop/products/{apidigital}", setup: apiShopOfA, want: adminsOnly(200),
			body: `{"description": "Edited by {who}"}`},
		{route: "POST /api/v1/admin/shop/products/{id}/file", path: "/api/v1/admin/shop/products/{apidigital}/file", setup: apiShopOfA, want: adminsOnly(200), raw: apiShopFileForm},
		{route: "POST /api/v1/admin/shop/products/{id}/image", path: "/api/v1/admin/shop/products/{apidigital}/image", setup: apiShopOfA, want: adminsOnly(200), raw: apiShopImageForm},
		{route: "POST /api/v1/admin/shop/sync", path: "/api/v1/admin/shop/sync", setup: apiShopCatalogInStripe, want: adminsOnly(200)},
		{route: "GET /api/v1/admin/shop/sync", path: "/api/v1/admin/shop/sync", want: adminsOnly(200)},
		{route: "GET /api/v1/admin/shop/coupons", path: "/api/v1/admin/shop/coupons", want: adminsOnly(200)},
		{route: "POST /api/v1/admin/shop/coupons", path: "/api/v1/admin/shop/coupons", want: adminsOnly(201), body: `{"code": "MATRIX-{n}", "percent_off": 10}`},
		{route: "PATCH /api/v1/admin/shop/coupons/{id}", path: "/api/v1/admin/shop/coupons/{apicoupon}", setup: apiShopOfA, want: adminsOnly(204), body: `{"active": true}`},
		{route: "GET /api/v1/admin/shop/orders", path: "/api/v1/admin/shop/orders?state=paid", want: adminsOnly(200)},
		{route: "POST /api/v1/admin/shop/orders/{id}/ship", path: "/api/v1/admin/shop/orders/{apiparcel}/ship", setup: apiShopParcelOfA, want: adminsOnly(200),
			body: `{"carrier": "UPS", "tracking_number": "1Z{n}"}`},
		{route: "POST /api/v1/admin/shop/orders/{id}/deliver", path: "/api/v1/admin/shop/orders/{apiparcel}/deliver", setup: apiShopParcelShippedOfA, want: adminsOnly(200)},
		{route: "POST /api/v1/admin/shop/orders/{id}/refund", path: "/api/v1/admin/shop/orders/{apiparcel}/refund", setup: apiShopParcelOfA, want: adminsOnly(200),
			body: `{"reason": "Arrived broken"}`},
		{route: "GET /api/v1/admin/users", path: "/api/v1/admin/users", want: adminsOnly(200)},
		{route: "POST /api/v1/admin/users/{id}/role", path: "/api/v1/admin/users/{clientA}/role", want: adminsOnly(200), body: `{"role": "client"}`},
		{route: "POST /api/v1/admin/readers/{id}/verify", path: "/api/v1/admin/readers/{readerA}/verify", want: adminsOnly(200), body: `{"verified": true}`},
		{route: "GET /api/v1/admin/applications", path: "/api/v1/admin/applications?status=all", want: adminsOnly(200)},
		{route: "POST /api/v1/admin/applications/{id}/approve", path: "/api/v1/admin/applications/{application}/approve", setup: pendingApplication, want: adminsOnly(200)},
		{route: "POST /api/v1/admin/applications/{id}/reject", path: "/api/v1/admin/applications/{application}/reject", setup: pendingApplication, want: adminsOnly(200),
			body: `{"reason": "Please write a longer sample reading."}`},
		{route: "POST /api/v1/admin/readers/{id}/kyc", path: "/api/v1/admin/readers/{readerA}/kyc", want: adminsOnly(200), body: `{"kyc_status": "approved"}`},
		{route: "GET /api/v1/admin/refunds", path: "/api/v1/admin/refunds", want: adminsOnly(200)},
		{route: "POST /api/v1/admin/refunds", path: "/api/v1/admin/refunds", want: adminsOnly(201),
			body: `{"kind": "wallet", "transfer_id": {charge}, "amount_cents": 1, "reason": "matrix", "idempotency_key": "matrix-{n}"}`},
		{route: "POST /api/v1/admin/refunds/{id}/resolve", path: "/api/v1/admin/refunds/{refund}/resolve", setup: refundInReview, want: adminsOnly(200),
			body: `{"action": "confirm"}`},
		{route: "POST /api/v1/admin/adjustments", path: "/api/v1/admin/adjustments", want: adminsOnly(201),
			body: `{"user_id": {clientA}, "amount_cents": 1, "reason": "matrix", "idempotency_key": "matrix-{n}"}`},
		{route: "GET /api/v1/admin/adjustments", path: "/api/v1/admin/adjustments", want: adminsOnly(200)},
		{route: "POST /api/v1/admin/adjustments/{id}/decide", path: "/api/v1/admin/adjustments/{request}/decide", setup: selfCredit, want: adminsOnly(200),
			body: `{"decision": "approve"}`},
		{route: "GET /api/v1/admin/reconciliation", path: "/api/v1/admin/reconciliation?month={month}", want: adminsOnly(200)},
		{route: "GET /api/v1/admin/claims", path: "/api/v1/admin/claims", want: adminsOnly(200)},
		{route: "GET /api/v1/admin/bookings", path: "/api/v1/admin/bookings", want: adminsOnly(200)},
		{route: "POST /api/v1/admin/claims/{id}", path: "/api/v1/admin/claims/{claim}", setup: pendingClaim, want: adminsOnly(204),
			body: `{"approve": true, "note": "Refunded"}`},
	}
}

// noOpenReading ends the readings going on, so anyone with the money may
// ask reader A for one.
func noOpenReading(t *testing.T, m *authzWorld) { m.closeOpen(t) }

// stripeEvent is a Stripe event of its own for every cell, signed with the
// webhook secret at the app's time.
func stripeEvent(t *testing.T, m *authzWorld) ([]byte, []string) {
	payload, err := json.Marshal(map[string]any{"id": m.fill("evt_matrix_{n}"), "object": "event", "type": "customer.created",
		"api_version": stripe.APIVersion, "created": m.clk.Now().Unix(), "livemode": false, "data": map[string]any{"object": map[string]any{}}})
	if err != nil {
		t.Fatal(err)
	}
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: m.s.App.Payments.WebhookSecret, Timestamp: m.clk.Now()})
	return signed.Payload, []string{"Stripe-Signature", signed.Header}
}

// openingJSON is an open time added by hand, tomorrow on a quarter hour of
// the app's clock.
func openingJSON(t *testing.T, m *authzWorld) ([]byte, []string) {
	at := m.clk.Now().Add(24 * time.Hour).Truncate(15 * time.Minute)
	return []byte(`{"starts_at": "` + at.Format(time.RFC3339) + `", "duration_minutes": 30}`), []string{"Content-Type", "application/json"}
}

// timeOffJSON is tomorrow taken off, by the app's clock.
func timeOffJSON(t *testing.T, m *authzWorld) ([]byte, []string) {
	from := m.clk.Now().Add(24 * time.Hour)
	return []byte(`{"from": "` + from.Format(time.RFC3339) + `", "to": "` + from.Add(24*time.Hour).Format(time.RFC3339) + `"}`),
		[]string{"Content-Type", "application/json"}
}

// avatarForm is the profile editor's photo upload.
func avatarForm(t *testing.T, m *authzWorld) ([]byte, []string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	f, err := mw.CreateFormFile("avatar", "me.png")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(pngBytes(t, 32, 32))
	mw.Close()
	return b.Bytes(), []string{"Content-Type", mw.FormDataContentType()}
}

// avatarImage is an avatar sent to the API as the request body.
func avatarImage(t *testing.T, m *authzWorld) ([]byte, []string) {
	return pngBytes(t, 32, 32), []string{"Content-Type", "image/png"}
}
