package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

// callers are who calls every route of the authorisation matrix, in the
// order of each row's cells. A suspended user becomes a seventh column once
// suspension exists: it should get what anon gets on every route that needs
// a user (401, or the login redirect from a page), and what anyone gets on
// public ones.
var callers = [...]string{"anon", "clientA", "clientB", "readerA", "readerB", "admin"}

// secret is a private text in one user's object: only the callers in
// seenBy may ever get a response that holds it.
type secret struct {
	text   string
	seenBy []string
	mustBe bool // A's secrets must show up to someone allowed, proving the check looks where they are
	seen   bool
}

// authzWorld is the app of the authorisation matrix (SEC-5, SEC-6): client
// A and client B, reader A and reader B and an admin, each with a bearer
// token, and one of every kind of object the routes take by id or path.
// A's side: a paid top-up and a pending checkout, a finished reading with
// reader A holding a chat message, the client's note, the reader's note on
// the client and a satisfaction claim, an API token, an avatar; B's side
// has the same reading and token between client B and reader B. Objects a
// route uses up (a waiting reading, a refund in review, a pending
// self-credit, …) are made afresh by each row's setup. Each client has a
// notification, and a conversation with their reader: a message of the
// client and a paid reply the client has not unlocked. A reader no other
// row names is the one blocked.
type authzWorld struct {
	*world
	clk                                  *clock.Fake
	clientB, readerB, admin2, spare, rae account.User
	blockee                              account.User
	users                                map[string]account.User // by caller
	tokens                               map[string]string       // bearer secret by caller; none for anon
	vals                                 map[string]string       // placeholders of paths and bodies: {done}, {open}, …
	n                                    int                     // {n}: a number of its own for every cell
	secrets                              []*secret
	readingNoteA, clientNoteA            string // A's private notes, which rows that write notes put back
	state                                string // the database's fingerprint since the last change the test knows of, or ""
}

// matrixOptions start the matrix's app: a fake clock, billing sweeps only
// when the test asks (so nothing moves between a request and its check),
// Agora credentials (media tokens are issued) and an OIDC provider.
func matrixOptions(t *testing.T, clk *clock.Fake) []apptest.Option {
	_, oidc := startOIDC(t)
	return []apptest.Option{apptest.WithClock(clk), apptest.WithManualSweeps(), oidc, apptest.WithConfig(func(c *config.Config) {
		c.AgoraAppID, c.AgoraCertificate = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
		c.PresenceTimeout = 24 * time.Hour
	})}
}

func newAuthzWorld(t *testing.T, s *apptest.Server, clk *clock.Fake) *authzWorld {
	t.Helper()
	m := &authzWorld{world: newWorld(t, s), clk: clk, tokens: map[string]string{}, vals: map[string]string{}}
	// Notification emails wait longer than the matrix runs: their sweep runs
	// on its own timer and would otherwise change tables between a refused
	// request and its check.
	s.App.Notify.EmailDelay = 365 * 24 * time.Hour
	m.clientB = s.CreateUser("bea@example.com", account.RoleClient)
	m.readerB = s.CreateUser("rex@example.com", account.RoleReader)
	// Readers sign in with two-factor codes, as changing their payout
	// settings needs (ACC-7); admins always do.
	m.reader, m.readerB = s.EnrolTwoFactor(m.reader), s.EnrolTwoFactor(m.readerB)
	m.admin2 = s.CreateUser("max@example.com", account.RoleAdmin)
	m.spare = s.CreateUser("sam@example.com", account.RoleClient) // logs in
	m.rae = s.CreateUser("rae@example.com", account.RoleClient)   // resets her password
	m.blockee = s.CreateUser("bo@example.com", account.RoleReader)
	m.users = map[string]account.User{"clientA": m.client, "clientB": m.clientB, "readerA": m.reader, "readerB": m.readerB, "admin": m.admin}
	for who, u := range m.users {
		m.tokens[who] = m.token(t, u, "matrix").Secret
	}
	m.profile(t, m.readerB, "Rex Bright", []string{"astrology"}, reader.RatesInput{Text: cents(150), Voice: cents(300)})
	if _, err := s.App.Readers.SetVerified(ctx, m.admin, m.readerB.ID, true); err != nil {
		t.Fatal(err)
	}
	m.exec(t, `UPDATE reader_profiles SET simulated_presence = TRUE WHERE user_id = $1`, m.readerB.ID)
	for _, r := range []account.User{m.reader, m.readerB} {
		if _, err := s.App.Readers.SetStatus(ctx, r.ID, reader.Online); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range map[string]int64{"clientA": m.client.ID, "clientB": m.clientB.ID, "readerA": m.reader.ID, "readerB": m.readerB.ID, "admin": m.admin.ID,
		"blockee": m.blockee.ID} {
		m.vals[k] = id(v)
	}

	// Money: a paid top-up each, and a checkout A has not paid yet.
	m.vals["topup"] = id(m.topUp(t, m.client, 50000).ID)
	m.topUp(t, m.clientB, 20000)
	pending, err := s.App.Payments.CreateTopUp(ctx, m.client, 2500, "")
	if err != nil {
		t.Fatal(err)
	}
	m.vals["session"] = pending.CheckoutSessionID

	// A's finished reading with reader A, and B's with reader B, each with
	// the private texts of both parties.
	for _, side := range []struct {
		name           string
		client, reader account.User
		clientCaller   string
		readerCaller   string
	}{{"A", m.client, m.reader, "clientA", "readerA"}, {"B", m.clientB, m.readerB, "clientB", "readerB"}} {
		chat := m.secret(side.name == "A", "Matrix chat of client "+side.name, side.clientCaller, side.readerCaller, "admin")
		rd := m.finish(t, side.client, side.reader, chat)
		readingNote := m.secret(side.name == "A", "Matrix note of client "+side.name, side.clientCaller)
		if err := s.App.Readings.SetClientNote(ctx, side.client, rd, readingNote); err != nil {
			t.Fatal(err)
		}
		clientNote := m.secret(side.name == "A", "Matrix note of reader "+side.name, side.readerCaller)
		if err := s.App.Readings.SetReaderNote(ctx, side.reader, side.client.ID, clientNote); err != nil {
			t.Fatal(err)
		}
		if err := s.App.Readings.FileClaim(ctx, side.client, rd, "other", m.secret(side.name == "A", "Matrix claim of client "+side.name, side.clientCaller, "admin")); err != nil {
			t.Fatal(err)
		}
		m.token(t, side.client, m.secret(side.name == "A", "Matrix token of client "+side.name, side.clientCaller))
		m.notify(t, side.client, m.secret(side.name == "A", "Matrix notification of client "+side.name, side.clientCaller))
		m.vals["conv"+side.name] = id(m.conversation(t, side.client, side.reader,
			m.secret(side.name == "A", "Matrix message of client "+side.name, side.clientCaller, side.readerCaller, "admin"), // emailed: the outbox
			m.secret(side.name == "A", "Matrix paid reply of reader "+side.name, side.readerCaller)))                         // locked for the client
		if side.name == "A" {
			m.vals["done"], m.readingNoteA, m.clientNoteA = id(rd), readingNote, clientNote
			var charge int64
			if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT min(id) FROM ledger_transfers WHERE cause_type = 'reading' AND cause_id = $1`, id(rd)).Scan(&charge); err != nil {
				t.Fatal(err)
			}
			m.vals["charge"] = id(charge)
		}
	}
	key, err := s.App.Accounts.UploadAvatar(ctx, m.reader.ID, pngBytes(t, 64, 48))
	if err != nil {
		t.Fatal(err)
	}
	m.vals["avatar"], m.vals["month"] = key, clk.Now().Format("2006-01")
	m.vals["date"] = clk.Now().AddDate(0, 0, 2).Format(time.DateOnly) // a day whose every hour is ahead in any zone
	return m
}

// secret records a private text and returns it.
func (m *authzWorld) secret(mustBe bool, text string, seenBy ...string) string {
	m.secrets = append(m.secrets, &secret{text: text, seenBy: seenBy, mustBe: mustBe})
	return text
}

// token makes an API token of u.
func (m *authzWorld) token(t *testing.T, u account.User, name string) account.NewAPIToken {
	t.Helper()
	tok, err := m.s.App.Accounts.CreateAPIToken(ctx, u.ID, account.TokenInput{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// notify tells u something. u is told nothing by email, so no email sweep
// changes the database while a refusal is checked.
func (m *authzWorld) notify(t *testing.T, u account.User, title string) {
	t.Helper()
	var inAppOnly []notify.Preference
	for _, k := range notify.Kinds() {
		inAppOnly = append(inAppOnly, notify.Preference{Kind: k.Kind, InApp: true})
	}
	if _, err := m.s.App.Notify.SetPreferences(ctx, u.ID, inAppOnly); err != nil {
		t.Fatal(err)
	}
	err := m.s.App.DB.Tx(ctx, func(tx *db.Tx) error {
		return m.s.App.Notify.Send(ctx, tx, notify.Notification{UserID: u.ID, Kind: notify.KindMessage, Title: title, URL: "/messages"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// mustID is a numeric placeholder value.
func mustID(t *testing.T, v string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (m *authzWorld) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := m.s.App.DB.Writer.ExecContext(ctx, query, args...); err != nil {
		t.Fatal(err)
	}
}

// topUp pays a top-up of u through the test checkout.
func (m *authzWorld) topUp(t *testing.T, u account.User, amount int64) payment.TopUp {
	t.Helper()
	tu, err := m.s.App.Payments.CreateTopUp(ctx, u, amount, "")
	if err != nil {
		t.Fatal(err)
	}
	if tu, err = m.s.App.Payments.PayTestCheckout(ctx, u, tu.CheckoutSessionID); err != nil {
		t.Fatal(err)
	}
	return tu
}

// closeOpen ends every reading still going on, so a client may ask and a
// reader may accept again (one open reading per client, one running per
// reader).
func (m *authzWorld) closeOpen(t *testing.T) {
	t.Helper()
	rows, err := m.s.App.DB.Read().QueryContext(ctx, `SELECT id, client_id FROM readings WHERE state IN ('created', 'waiting', 'active', 'paused', 'reconnecting')`)
	if err != nil {
		t.Fatal(err)
	}
	var open [][2]int64
	for rows.Next() {
		var r [2]int64
		if err := rows.Scan(&r[0], &r[1]); err != nil {
			t.Fatal(err)
		}
		open = append(open, r)
	}
	rows.Close()
	for _, r := range open {
		if _, err := m.s.App.Readings.End(ctx, account.User{ID: r[1]}, r[0]); err != nil {
			t.Fatal(err)
		}
	}
}

// request has client ask rdr for a reading, which then waits for the reader.
func (m *authzWorld) request(t *testing.T, client, rdr account.User, mod reader.Modality) int64 {
	t.Helper()
	m.closeOpen(t)
	r, err := m.s.App.Readings.Request(ctx, client, rdr.ID, mod)
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// start has client ask rdr for a reading and rdr accept it.
func (m *authzWorld) start(t *testing.T, client, rdr account.User, mod reader.Modality) int64 {
	t.Helper()
	id := m.request(t, client, rdr, mod)
	if _, err := m.s.App.Readings.Accept(ctx, rdr, id); err != nil {
		t.Fatal(err)
	}
	return id
}

// finish runs a text reading between client and rdr for the minutes a
// review needs, the client saying chat (if any), and ends it.
func (m *authzWorld) finish(t *testing.T, client, rdr account.User, chat string) int64 {
	t.Helper()
	id := m.start(t, client, rdr, reader.Text)
	if chat != "" {
		if _, err := m.s.App.Readings.Say(ctx, client, id, chat); err != nil {
			t.Fatal(err)
		}
	}
	m.clk.Advance(reading.MinReviewMinutes * m.s.App.Config.BillingPeriod)
	r, err := m.s.App.Readings.End(ctx, client, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != reading.Finalized || r.BilledMinutes < reading.MinReviewMinutes {
		t.Fatalf("finished reading %+v, want finalized with %d paid minutes", r, reading.MinReviewMinutes)
	}
	return id
}

// Setups of the matrix's rows: each makes afresh the object a row's path
// names, in the state in which its owner's request succeeds.

func waitingReading(t *testing.T, m *authzWorld) {
	m.vals["open"] = id(m.request(t, m.client, m.reader, reader.Text))
}

func runningReading(t *testing.T, m *authzWorld) {
	m.vals["open"] = id(m.start(t, m.client, m.reader, reader.Text))
}

func runningVoiceReading(t *testing.T, m *authzWorld) {
	m.vals["open"] = id(m.start(t, m.client, m.reader, reader.Voice))
}

// pausedReading is a running reading paused as the billing sweep pauses one
// whose next minute the wallet cannot pay.
func pausedReading(t *testing.T, m *authzWorld) {
	runningReading(t, m)
	m.exec(t, `UPDATE readings SET state = 'paused', pause_reason = $1, active_since = NULL WHERE id = $2`, reading.PauseLowBalance, m.vals["open"])
}

func finishedReading(t *testing.T, m *authzWorld) {
	m.vals["finished"] = id(m.finish(t, m.client, m.reader, ""))
}

func pendingClaim(t *testing.T, m *authzWorld) {
	finishedReading(t, m)
	if err := m.s.App.Readings.FileClaim(ctx, m.client, mustID(t, m.vals["finished"]), "other", "matrix"); err != nil {
		t.Fatal(err)
	}
	var claim int64
	if err := m.s.App.DB.Read().QueryRowContext(ctx, `SELECT id FROM satisfaction_claims WHERE reading_id = $1`, m.vals["finished"]).Scan(&claim); err != nil {
		t.Fatal(err)
	}
	m.vals["claim"] = id(claim)
}

// readingNoteOfA puts client A's private note on A's finished reading back.
func readingNoteOfA(t *testing.T, m *authzWorld) {
	if err := m.s.App.Readings.SetClientNote(ctx, m.client, mustID(t, m.vals["done"]), m.readingNoteA); err != nil {
		t.Fatal(err)
	}
}

// clientNoteOfA puts reader A's private note on client A back.
func clientNoteOfA(t *testing.T, m *authzWorld) {
	if err := m.s.App.Readings.SetReaderNote(ctx, m.reader, m.client.ID, m.clientNoteA); err != nil {
		t.Fatal(err)
	}
}

func spareTokenOfA(t *testing.T, m *authzWorld) { m.vals["token"] = m.token(t, m.client, "spare").ID }

func checkoutOfA(t *testing.T, m *authzWorld) {
	tu, err := m.s.App.Payments.CreateTopUp(ctx, m.client, 2500, "")
	if err != nil {
		t.Fatal(err)
	}
	m.vals["checkout"] = tu.CheckoutSessionID
}

func resetLink(t *testing.T, m *authzWorld) {
	if err := m.s.App.Accounts.RequestPasswordReset(ctx, m.rae.Email); err != nil {
		t.Fatal(err)
	}
	m.vals["reset"] = latestResetToken(t, m.world, m.rae.Email)
}

// refundInReview is a card refund of A's top-up that Stripe neither
// confirmed nor refused.
func refundInReview(t *testing.T, m *authzWorld) {
	m.n++
	ref, err := m.s.App.Payments.RefundMoney(ctx, m.admin, payment.RefundInput{Kind: payment.RefundCard, TopUpID: mustID(t, m.vals["topup"]),
		AmountCents: 100, Reason: "matrix", Key: "matrix-review-" + id(int64(m.n))})
	if err != nil {
		t.Fatal(err)
	}
	settled(t, m.world, ref.ID)
	m.exec(t, `UPDATE refunds SET status = $1 WHERE id = $2`, payment.RefundReview, ref.ID)
	m.vals["refund"] = id(ref.ID)
}

// selfCredit is a credit the second admin asked for their own wallet.
func selfCredit(t *testing.T, m *authzWorld) {
	m.n++
	res, err := m.s.App.Payments.Adjust(ctx, m.admin2, payment.AdjustInput{UserID: m.admin2.ID, AmountCents: 100, Reason: "matrix",
		Key: "matrix-self-" + id(int64(m.n))})
	if err != nil || res.RequestID == 0 {
		t.Fatalf("self-credit %+v: %v", res, err)
	}
	m.vals["request"] = id(res.RequestID)
}

// queuedA leaves client A alone in reader A's queue.
func queuedA(t *testing.T, m *authzWorld) {
	m.exec(t, `DELETE FROM reading_queue WHERE reader_id = $1`, m.reader.ID)
	if _, err := m.s.App.Readings.JoinQueue(ctx, m.client, m.reader.ID, reader.Text); err != nil {
		t.Fatal(err)
	}
}

// watchingA leaves client A alone waiting for reader A to come online.
func watchingA(t *testing.T, m *authzWorld) {
	m.exec(t, `DELETE FROM online_watches WHERE reader_id = $1`, m.reader.ID)
	if err := m.s.App.Readers.WatchOnline(ctx, m.client, m.reader.ID); err != nil {
		t.Fatal(err)
	}
}

// unsubscribeLinkOfA is the link of an email to client A that stops email
// of new messages.
func unsubscribeLinkOfA(t *testing.T, m *authzWorld) {
	token := m.fill("matrix-unsubscribe-{n}")
	sum := sha256.Sum256([]byte(token))
	m.exec(t, `INSERT INTO notification_unsubscribes (token_hash, user_id, kind, created_at) VALUES ($1, $2, 'message', 0)`,
		hex.EncodeToString(sum[:]), m.client.ID)
	m.vals["unsubscribe"] = token
}

// blockedByA leaves the blocked reader blocked by client A alone.
func blockedByA(t *testing.T, m *authzWorld) {
	m.exec(t, `DELETE FROM blocks WHERE blocked_id = $1`, m.blockee.ID)
	if _, err := m.s.App.Blocks.Block(ctx, m.client, m.blockee.ID); err != nil {
		t.Fatal(err)
	}
}

// favouredA leaves reader A the favourite of client A alone.
func favouredA(t *testing.T, m *authzWorld) {
	m.exec(t, `DELETE FROM favorites WHERE reader_id = $1`, m.reader.ID)
	if err := m.s.App.Readers.AddFavorite(ctx, m.client.ID, m.reader.ID); err != nil {
		t.Fatal(err)
	}
}
