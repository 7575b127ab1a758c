package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/message"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/privacy"
)

// SEC-1: a client with activity in every feature — a reading with its
// chat, note and claim, a booking, a conversation with a locked paid reply
// from the reader and an unlocked one, a gift, a ticket and its stream
// chat, a subscription, a shop order, a forum thread and post, an upload,
// a flag, a review, favourites, a block, API tokens, notifications — asks
// through the API for a copy of their data; the background job builds it
// and they are told in the app and by email with a link. The ZIP holds
// the README and one JSON file per section, each item exactly once, and
// nothing another person keeps to themselves (the reader's note about
// them, the other client's whole world) nor the locked paid reply. Their
// reader's export holds the payout, the reader's own note and paid reply,
// and not the client's note or claim. A second export the same day is
// refused with 429 saying when the next is possible (API and page); the
// link is refused to anyone else (403) and sends visitors to log in; after
// seven days it answers 410, the cleanup removes the file, and a new
// export may be asked for.
func TestDataExport_SEC1(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Now())
			s := apptest.Start(t, e, append(matrixOptions(t, clk), roomyLimits())...)
			dataExport(t, newAuthzWorld(t, s, clk))
		})
	}
}

func dataExport(t *testing.T, m *authzWorld) {
	s, a := m.s, m.client
	ids := activityOfA(t, m)
	// Email of exports back on for A, whom the world tells things in the app only.
	if _, err := s.App.Notify.SetPreferences(ctx, a.ID, []notify.Preference{{Kind: notify.KindExport, InApp: true, Email: true}}); err != nil {
		t.Fatal(err)
	}
	client := s.Client()
	client.Token = m.tokens["clientA"]

	res := client.Do("POST", "/api/v1/me/export", nil)
	if res.Status != http.StatusAccepted {
		t.Fatalf("asking for an export: %d %s", res.Status, res.Body)
	}
	started := decode[exportAPI](t, res)
	if started.State != "building" || started.ID == 0 {
		t.Fatalf("the export asked for: %+v", started)
	}
	ready := waitExport(t, client)
	if kept := ready.ExpiresAt.Sub(*ready.ReadyAt); ready.ID != started.ID || kept > privacy.ExportTTL || kept <= privacy.ExportTTL-time.Second || !strings.HasPrefix(ready.DownloadURL, "/accounts/export/"+id(ready.ID)+"/download?e=") {
		t.Fatalf("the ready export: %+v", ready)
	}

	// Told in the app and by email, with the link.
	var told int
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'data_export' AND url = $2`,
		a.ID, ready.DownloadURL).Scan(&told); err != nil || told != 1 {
		t.Errorf("%d notifications with the link (%v)", told, err)
	}
	mails, err := s.App.Mail.Recent(ctx, a.Email, 20)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(mails, func(e mail.Email) bool {
		return e.Subject == "Your SoulSeer data export is ready" && strings.Contains(e.Body, s.URL+ready.DownloadURL)
	}) {
		t.Errorf("no email with the link among %d to %s", len(mails), a.Email)
	}

	// The download: a ZIP attachment, never sniffed.
	res = client.Do("GET", ready.DownloadURL, nil)
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment; filename=soulseer-data-") {
		t.Fatalf("the download: %d %v", res.Status, res.Header)
	}
	z := unzipExport(t, res.Body)
	checkExportOfA(t, m, z, ids)

	// One export a day: refused with 429 and when the next is possible.
	res = client.Do("POST", "/api/v1/me/export", nil)
	if p := problemOf(t, res, http.StatusTooManyRequests); !strings.Contains(p.Detail, "once a day") || res.Header.Get("Retry-After") == "" {
		t.Errorf("a second export the same day: %+v, Retry-After %q", p, res.Header.Get("Retry-After"))
	}
	res = client.Form("/accounts/export/", nil)
	if res.Status != http.StatusTooManyRequests || !bytes.Contains(res.Body, []byte("You can export your data once a day. Your next export is possible from")) {
		t.Errorf("the page's second export the same day: %d %.2000s", res.Status, res.Body)
	}
	if res := client.Do("GET", "/accounts/export/", nil); res.Status != 200 || !bytes.Contains(res.Body, []byte("data-next-export")) ||
		!bytes.Contains(res.Body, []byte(`data-export-state="ready"`)) || !bytes.Contains(res.Body, []byte(htmlAttr(ready.DownloadURL))) {
		t.Errorf("the export page: %d %.3000s", res.Status, res.Body)
	}

	// The link is A's alone: refused to others, visitors sent to log in.
	other := s.Client()
	other.Token = m.tokens["clientB"]
	if res := other.Do("GET", ready.DownloadURL, nil); res.Status != http.StatusForbidden || !bytes.Contains(res.Body, []byte("This download link is not yours")) {
		t.Errorf("client B's download of A's export: %d %.500s", res.Status, res.Body)
	}
	if res := s.Client().Do("GET", ready.DownloadURL, nil); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Errorf("a visitor's download: %d %s", res.Status, res.Header.Get("Location"))
	}
	if res := client.Do("GET", ready.DownloadURL+"x", nil); res.Status != http.StatusForbidden {
		t.Errorf("an altered link: %d", res.Status)
	}

	// The reader's own export.
	reader := s.Client()
	reader.Token = m.tokens["readerA"]
	if res := reader.Do("POST", "/api/v1/me/export", nil); res.Status != http.StatusAccepted {
		t.Fatalf("the reader's export: %d %s", res.Status, res.Body)
	}
	readerExport := waitExport(t, reader)
	res = reader.Do("GET", readerExport.DownloadURL, nil)
	if res.Status != 200 {
		t.Fatalf("the reader's download: %d", res.Status)
	}
	checkExportOfReaderA(t, m, unzipExport(t, res.Body), ids)
	if res := reader.Do("GET", ready.DownloadURL, nil); res.Status != http.StatusForbidden {
		t.Errorf("the reader's download of A's export: %d", res.Status)
	}

	// Seven days on: the link is gone (410), the cleanup removes the
	// files, and a new export may be asked for.
	m.clk.Advance(privacy.ExportTTL)
	res = client.Do("GET", ready.DownloadURL, nil)
	if res.Status != http.StatusGone || !bytes.Contains(res.Body, []byte("This export has expired")) || !bytes.Contains(res.Body, []byte("Export my data")) {
		t.Errorf("the link after 7 days: %d %.1000s", res.Status, res.Body)
	}
	if n, err := s.App.Privacy.RemoveExpired(ctx); err != nil || n != 2 {
		t.Errorf("removed %d expired exports (%v), want A's and the reader's", n, err)
	}
	var files int
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM data_exports WHERE state <> 'expired' OR file_key <> ''`).Scan(&files); err != nil || files != 0 {
		t.Errorf("%d exports still hold a file (%v)", files, err)
	}
	if got := decode[exportAPI](t, client.Do("GET", "/api/v1/me/export", nil)); got.State != "expired" || got.DownloadURL != "" || got.NextExportAt != nil {
		t.Errorf("the expired export: %+v", got)
	}
	if res := client.Form("/accounts/export/", nil); res.Status != http.StatusSeeOther {
		t.Errorf("a new export after a week: %d %.500s", res.Status, res.Body)
	}
}

// exportAPI is the API's answer about an export.
type exportAPI struct {
	ID           int64      `json:"id"`
	State        string     `json:"state"`
	CreatedAt    time.Time  `json:"created_at"`
	ReadyAt      *time.Time `json:"ready_at"`
	ExpiresAt    *time.Time `json:"expires_at"`
	DownloadURL  string     `json:"download_url"`
	NextExportAt *time.Time `json:"next_export_at"`
}

// waitExport waits (up to 20 s) for the background job to build the
// caller's latest export, and returns it ready.
func waitExport(t *testing.T, c *apptest.Client) exportAPI {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res := c.Do("GET", "/api/v1/me/export", nil)
		if res.Status != 200 {
			t.Fatalf("the latest export: %d %s", res.Status, res.Body)
		}
		e := decode[exportAPI](t, res)
		if e.State != "building" {
			if e.State != "ready" {
				t.Fatalf("the export ended %q", e.State)
			}
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("the export is still being built")
		}
	}
}

// exportZIP is a downloaded export: each file's contents by name.
type exportZIP map[string][]byte

// unzipExport reads a downloaded export, which must hold exactly the
// README and the files privacy.Files names.
func unzipExport(t *testing.T, body []byte) exportZIP {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the download is not a ZIP: %v", err)
	}
	z := exportZIP{}
	var names, want []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		z[f.Name] = b
		names = append(names, f.Name)
	}
	for _, f := range privacy.Files() {
		want = append(want, f.Name)
	}
	if !slices.Equal(names, want) {
		t.Fatalf("the ZIP holds %v, want %v in this order", names, want)
	}
	for name, b := range z {
		if strings.HasSuffix(name, ".json") && !json.Valid(b) {
			t.Errorf("%s is not JSON: %.300s", name, b)
		}
	}
	return z
}

// has reports whether any file of the export holds text.
func (z exportZIP) has(text string) bool {
	for _, b := range z {
		if bytes.Contains(b, []byte(text)) {
			return true
		}
	}
	return false
}

// doc decodes one file of the export.
func (z exportZIP) doc(t *testing.T, name string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(z[name], &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// items is the list at path (keys through nested objects) of a file.
func (z exportZIP) items(t *testing.T, file string, path ...string) []map[string]any {
	t.Helper()
	var v any = z.doc(t, file)
	for _, k := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %s is not inside an object", file, k)
		}
		v = obj[k]
	}
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("%s %v is %T, not a list", file, path, v)
	}
	out := make([]map[string]any, 0, len(list))
	for _, it := range list {
		obj, ok := it.(map[string]any)
		if !ok {
			t.Fatalf("%s %v holds a %T", file, path, it)
		}
		out = append(out, obj)
	}
	return out
}

// once checks that the list at path of file holds exactly one item whose
// field key is want, and no two items of one id, and returns that item.
func (z exportZIP) once(t *testing.T, want any, key, file string, path ...string) map[string]any {
	t.Helper()
	ids := map[string]bool{}
	var found []map[string]any
	for _, it := range z.items(t, file, path...) {
		if id, ok := it["id"]; ok {
			if ids[jsonText(id)] {
				t.Errorf("%s %v holds id %s twice", file, path, jsonText(id))
			}
			ids[jsonText(id)] = true
		}
		if jsonText(it[key]) == jsonText(want) {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		t.Errorf("%s %v has %d items with %s %s, want 1", file, path, len(found), key, jsonText(want))
		return nil
	}
	return found[0]
}

// jsonText is v as JSON, to compare numbers of either kind and objects.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// htmlAttr is s as html/template writes it in an attribute.
func htmlAttr(s string) string { return strings.ReplaceAll(s, "&", "&amp;") }

// exportIDs are the objects activityOfA made.
type exportIDs struct {
	booking, unlocked, gift, ticket, subscription, order, thread, reply, upload, flag, reviewed, payout int64
}

// activityOfA gives client A activity in every feature beyond what the
// matrix's world made (a reading with chat, note and claim, a conversation
// with a locked paid reply, a token, a notification), and reader A a
// payout.
func activityOfA(t *testing.T, m *authzWorld) exportIDs {
	t.Helper()
	s, a := m.s, m.client
	var ids exportIDs
	ids.booking = mustID(t, bookOfA(t, m, freeTimeOfA(t, m)))
	paid, err := s.App.Messages.Send(ctx, m.reader, message.SendInput{To: a.ID, Body: "Unlocked reply for client A", Paid: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Messages.Unlock(ctx, a, paid.ID); err != nil {
		t.Fatal(err)
	}
	ids.unlocked = paid.ID
	streamOfA(t, m)
	g, _, err := s.App.Live.SendGift(ctx, a, mustID(t, m.vals["stream"]), live.SendInput{GiftID: mustID(t, m.vals["gift"]), Quantity: 2, IdempotencyKey: "export-gift"})
	if err != nil {
		t.Fatal(err)
	}
	ids.gift = g.ID
	ticketedOfA(t, m)
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT id FROM stream_tickets WHERE user_id = $1`, a.ID).Scan(&ids.ticket); err != nil {
		t.Fatal(err)
	}
	subscribedToB(t, m)
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT id FROM stream_subscriptions WHERE subscriber_id = $1`, a.ID).Scan(&ids.subscription); err != nil {
		t.Fatal(err)
	}
	apiShopOfA(t, m)
	ids.order = mustID(t, m.vals["apiorder"])
	forumThreadOfA(t, m)
	ids.thread, ids.reply = mustID(t, m.vals["thread"]), mustID(t, m.vals["post"])
	uploadOfA(t, m)
	ids.upload = mustID(t, m.vals["upload"])
	f, err := s.App.Flags.Raise(ctx, a, flag.RaiseInput{TargetType: flag.TargetProfile, TargetID: m.readerB.ID, Reason: "spam"})
	if err != nil {
		t.Fatal(err)
	}
	ids.flag = f.ID
	reviewedA(t, m)
	ids.reviewed = mustID(t, m.vals["reviewed"])
	favouredA(t, m)
	watchingA(t, m)
	blockedByA(t, m)

	// Reader A is paid out.
	payoutReadyA(t, m)
	amount := s.App.Payouts.MinCents
	if _, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "export-earn", Type: ledger.TypeAdjustment,
		Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -amount}, {Account: ledger.Earnings(m.reader.ID), Amount: amount}}}); err != nil {
		t.Fatal(err)
	}
	po, err := s.App.Payouts.Pay(ctx, m.reader.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids.payout = po.ID
	return ids
}

// checkExportOfA holds client A's export to their activity: each item
// once, their own texts in it, nobody else's private texts and no locked
// paid reply anywhere.
func checkExportOfA(t *testing.T, m *authzWorld, z exportZIP, ids exportIDs) {
	t.Helper()
	a := m.client
	for _, sec := range m.secrets {
		if in := z.has(sec.text); in != slices.Contains(sec.seenBy, "clientA") && (in || sec.mustBe) {
			t.Errorf("client A's export holds %q: %v; only %v may see it", sec.text, in, sec.seenBy)
		}
	}
	for _, text := range []string{"Unlocked reply for client A", "Opening words", "A reply of mine", "Kind and clear", "altar.png", "matrix.pdf"} {
		if !z.has(text) {
			t.Errorf("client A's export lacks %q", text)
		}
	}
	if !bytes.Contains(z["README.txt"], []byte("account #"+id(a.ID))) || !bytes.Contains(z["README.txt"], []byte("messages.json")) {
		t.Errorf("the README: %s", z["README.txt"])
	}
	if acct := z.doc(t, "profile.json")["account"].(map[string]any); acct["email"] != a.Email || acct["two_factor"] != false {
		t.Errorf("profile.json's account: %v", acct)
	}

	done := mustID(t, m.vals["done"])
	rd := z.once(t, done, "id", "readings.json", "readings")
	if rd != nil && (rd["role"] != "client" || rd["note"] == nil || rd["satisfaction_claim"] == nil || rd["reader_earnings_cents"] != nil ||
		!strings.Contains(jsonText(rd["transcript"]), "Matrix chat of client A")) {
		t.Errorf("A's finished reading: %v", rd)
	}
	z.once(t, ids.reviewed, "id", "readings.json", "readings")
	z.once(t, ids.booking, "id", "bookings.json", "bookings")
	conv := z.once(t, mustID(t, m.vals["convA"]), "id", "messages.json", "conversations")
	if conv != nil {
		var msgs []map[string]any
		for _, it := range conv["messages"].([]any) {
			msgs = append(msgs, it.(map[string]any))
		}
		var got []string
		for _, msg := range msgs {
			got = append(got, msg["body"].(string))
		}
		if !slices.Equal(got, []string{"Matrix message of client A", "Unlocked reply for client A"}) {
			t.Errorf("the conversation's messages: %q, want the client's and the unlocked reply only", got)
		}
		if jsonText(msgs[len(msgs)-1]["id"]) != jsonText(ids.unlocked) {
			t.Errorf("the unlocked reply: %v", msgs[len(msgs)-1])
		}
	}
	z.once(t, ids.gift, "id", "gifts.json", "sent")
	z.once(t, ids.ticket, "id", "streams.json", "tickets")
	z.once(t, ids.subscription, "id", "streams.json", "subscriptions")
	z.once(t, "Matrix stream chat of client A", "body", "streams.json", "chat")
	if o := z.once(t, ids.order, "id", "shop.json", "orders"); o != nil && !strings.Contains(jsonText(o["items"]), `"file_name":"matrix.pdf"`) {
		t.Errorf("the order's items: %v", o["items"])
	}
	z.once(t, ids.thread, "id", "forum.json", "threads")
	z.once(t, ids.reply, "id", "forum.json", "posts")
	z.once(t, ids.upload, "id", "forum.json", "uploads")
	z.once(t, ids.flag, "id", "flags.json", "flags")
	z.once(t, ids.reviewed, "reading_id", "reviews.json", "written")
	z.once(t, "Matrix notification of client A", "title", "notifications.json", "notifications")
	z.once(t, "Matrix token of client A", "name", "security.json", "api_tokens")
	z.once(t, map[string]any{"id": m.reader.ID, "name": "Luna Vale"}, "person", "favorites.json", "favorites")
	z.once(t, map[string]any{"id": m.blockee.ID, "name": "bo"}, "person", "favorites.json", "blocked")
	if len(z.items(t, "payouts.json", "payouts")) != 0 {
		t.Error("a client's export lists payouts")
	}

	// Every transfer of A's wallet once, summing to its balance.
	z.once(t, mustID(t, m.vals["charge"]), "id", "wallet.json", "transfers")
	var sum int64
	for _, tr := range z.items(t, "wallet.json", "transfers") {
		for _, p := range tr["postings"].([]any) {
			if p := p.(map[string]any); p["account"] == "wallet" {
				sum += int64(p["amount_cents"].(float64))
			}
		}
	}
	if bal := walletBalance(t, m.world, a.ID); sum != bal || bal == 0 {
		t.Errorf("A's wallet postings add up to %d, the balance is %d", sum, bal)
	}
}

// checkExportOfReaderA holds reader A's export: the payout, their own note
// about client A and their paid replies, and neither the client's private
// note nor claim.
func checkExportOfReaderA(t *testing.T, m *authzWorld, z exportZIP, ids exportIDs) {
	t.Helper()
	for _, sec := range m.secrets {
		if in := z.has(sec.text); in && !slices.Contains(sec.seenBy, "readerA") {
			t.Errorf("reader A's export holds %q, which only %v may see", sec.text, sec.seenBy)
		}
	}
	for _, text := range []string{m.clientNoteA, "Matrix paid reply of reader A", "Unlocked reply for client A"} {
		if !z.has(text) {
			t.Errorf("reader A's export lacks %q", text)
		}
	}
	z.once(t, ids.payout, "id", "payouts.json", "payouts")
	if acct := z.doc(t, "payouts.json")["account"]; acct == nil {
		t.Error("the reader's payout account is missing")
	}
	if rd := z.once(t, mustID(t, m.vals["done"]), "id", "readings.json", "readings"); rd != nil && (rd["role"] != "reader" || rd["note"] != nil || rd["reader_earnings_cents"] == nil) {
		t.Errorf("the reading as its reader sees it: %v", rd)
	}
	z.once(t, ids.reviewed, "reading_id", "reviews.json", "received")
	z.once(t, ids.gift, "id", "gifts.json", "received")
	if p := z.doc(t, "profile.json")["reader_profile"]; p == nil {
		t.Error("the reader's profile is missing")
	}
}
