package web_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// SEC-2: client A, with activity in every feature (the export test's
// world) and a data export waiting, deletes their account. A wrong
// password and a wrong link change nothing; the right password emails a
// link, whose page says what happens; confirming it cancels their upcoming
// booking with its refund and sends the whole wallet back to the card
// that topped it up. Afterwards no text column of any table holds their
// email address, their name or anything they wrote — except the paid
// reply they bought, which is the reader's; the reader sees "Deleted
// user" with the text removed in their conversation, and so does the
// forum; their files are gone; the audit log says an account was deleted
// without naming it; the ledger still verifies; and their address signs
// up afresh.
func TestAccountDeletion_SEC2(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Now())
			s := apptest.Start(t, e, append(matrixOptions(t, clk), roomyLimits())...)
			accountDeletion(t, newAuthzWorld(t, s, clk))
		})
	}
}

func accountDeletion(t *testing.T, m *authzWorld) {
	s, a := m.s, m.client
	ids := activityOfA(t, m)
	client := s.Client()
	client.Token = m.tokens["clientA"]
	if res := client.Do("POST", "/api/v1/me/export", nil); res.Status != http.StatusAccepted {
		t.Fatalf("asking for an export: %d %s", res.Status, res.Body)
	}
	waitExport(t, client)
	files := filesOf(t, m, a.ID)
	if len(files) < 3 { // the avatar, the upload, its thumbnail or the export
		t.Fatalf("client A has %d stored files before deleting: %v", len(files), files)
	}

	// What deleting would do: the booking is cancelled with a refund into
	// the wallet, and the whole wallet goes back to the card.
	wallet := walletBalance(t, m.world, a.ID)
	preview := decode[deletionPreviewAPI](t, client.Do("GET", "/api/v1/me/deletion", nil))
	if len(preview.Bookings) != 1 || preview.Bookings[0].ID != ids.booking || !preview.Bookings[0].Cancelled ||
		preview.BalanceCents != wallet+preview.Bookings[0].RefundCents || preview.CardRefundCents != preview.BalanceCents ||
		preview.ForfeitedCents != 0 || preview.LinkExpiresAt != nil {
		t.Fatalf("the preview with %d in the wallet: %+v", wallet, preview)
	}

	// Refused: a wrong password (page and API) sends nothing.
	if p := problemOf(t, client.Do("POST", "/api/v1/me/deletion", map[string]string{"current_password": "wrong"}), http.StatusBadRequest); p.Errors["current_password"] == "" {
		t.Errorf("a wrong password: %+v", p)
	}
	web, _ := m.login(t, a.Email)
	if res := web.Form("/accounts/delete-account/", url.Values{"current_password": {"wrong"}}); res.Status != http.StatusBadRequest ||
		!bytes.Contains(res.Body, []byte("This is not your current password.")) {
		t.Errorf("the page's wrong password: %d %.1500s", res.Status, res.Body)
	}
	if links := deletionLinksTo(t, s, a.Email); len(links) != 0 {
		t.Fatalf("a wrong password sent %d links", len(links))
	}

	// The right password emails the link; its page says what happens.
	if res := web.Form("/accounts/delete-account/", url.Values{"current_password": {apptest.Password}}); res.Status != http.StatusSeeOther {
		t.Fatalf("asking with the right password: %d %.1500s", res.Status, res.Body)
	}
	links := deletionLinksTo(t, s, a.Email)
	if len(links) != 1 {
		t.Fatalf("%d deletion links sent, want 1", len(links))
	}
	link := links[0]
	if res := s.Client().Do("GET", link, nil); res.Status != 200 || !bytes.Contains(res.Body, []byte("goes back to your wallet")) ||
		!bytes.Contains(res.Body, []byte("goes back to the cards you topped it up with")) {
		t.Errorf("the link's page: %d %.3000s", res.Status, res.Body)
	}
	if res := s.Client().Form("/accounts/delete-account/confirm", url.Values{"token": {"not-a-link"}}); res.Status != http.StatusBadRequest {
		t.Errorf("a made-up link: %d", res.Status)
	}
	if a2, err := s.App.Accounts.Get(ctx, a.ID); err != nil || a2.Email != a.Email {
		t.Fatalf("client A after the refusals: %+v (%v)", a2, err)
	}

	token := strings.TrimPrefix(link, "/accounts/delete-account/confirm?token=")
	if res := web.Form("/accounts/delete-account/confirm", url.Values{"token": {token}}); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("confirming: %d %s %.1500s", res.Status, res.Header.Get("Location"), res.Body)
	}

	// Money: the booking cancelled, the wallet refunded to the card.
	if b := walletBalance(t, m.world, a.ID); b != 0 {
		t.Errorf("client A's wallet holds %d after deleting", b)
	}
	var refunded int64
	var state string
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE user_id = $1 AND reason = 'Account closed'`,
		a.ID).Scan(&refunded); err != nil || refunded != preview.CardRefundCents {
		t.Errorf("refunded %d to the card (%v), the page said %d", refunded, err, preview.CardRefundCents)
	}
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT state FROM bookings WHERE id = $1`, ids.booking).Scan(&state); err != nil || state != "cancelled" {
		t.Errorf("the booking is %q (%v)", state, err)
	}
	if r, err := ledger.Verify(ctx, s.App.DB); err != nil || len(r.Problems) != 0 || r.Transfers == 0 {
		t.Errorf("ledger verify after deleting: %+v (%v)", r, err)
	}

	// Nothing of them left, anywhere.
	gone := []string{a.Email, a.DisplayName, "Matrix chat of client A", "Matrix note of client A", "Matrix note of reader A",
		"Matrix claim of client A", "Matrix token of client A", "Matrix notification of client A", "Matrix message of client A",
		"Matrix stream chat of client A", "Matrix thread", "Opening words", "A reply of mine", "Kind and clear"}
	for _, hit := range scanText(t, s.App.DB, gone) {
		t.Errorf("after deleting, %s", hit)
	}
	if scanText(t, s.App.DB, []string{"Unlocked reply for client A"}) == nil {
		t.Error("the paid reply client A bought is gone from the reader's conversation")
	}
	for _, key := range files {
		if f, err := s.App.Files.Open(ctx, key); err == nil {
			f.Close()
			t.Errorf("file %s survived the deletion", key)
		}
	}
	var details string
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT details FROM audit_log WHERE action = 'account.delete' AND object_id = $1`,
		id(a.ID)).Scan(&details); err != nil || strings.Contains(details, "cleo") {
		t.Errorf("the audit of the deletion: %q (%v)", details, err)
	}

	// Others see "Deleted user" without the text.
	rdr := s.Client()
	rdr.Token = m.tokens["readerA"]
	res := rdr.Do("GET", "/api/v1/conversations/"+m.vals["convA"]+"/messages", nil)
	if res.Status != 200 || !bytes.Contains(res.Body, []byte(`"[deleted]"`)) || !bytes.Contains(res.Body, []byte("Unlocked reply for client A")) {
		t.Errorf("the reader's conversation with A: %d %.2000s", res.Status, res.Body)
	}
	if res := rdr.Do("POST", "/api/v1/messages", map[string]any{"to_user_id": a.ID, "body": "Are you there?"}); res.Status != http.StatusNotFound {
		t.Errorf("the reader writing to the deleted client: %d %s", res.Status, res.Body)
	}
	if res := rdr.Do("GET", "/api/v1/conversations", nil); res.Status != 200 || !bytes.Contains(res.Body, []byte(account.DeletedName)) {
		t.Errorf("the reader's conversations: %d %.2000s", res.Status, res.Body)
	}
	if res := rdr.Do("GET", "/api/v1/forum/threads/"+id(ids.thread), nil); res.Status != 200 || !bytes.Contains(res.Body, []byte(account.DeletedName)) {
		t.Errorf("A's forum thread: %d %.2000s", res.Status, res.Body)
	}

	// Signed out everywhere; the address signs up afresh.
	if res := client.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Errorf("A's API token after deleting: %d", res.Status)
	}
	if res := web.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Errorf("A's session after deleting: %d", res.Status)
	}
	if _, err := s.App.Accounts.Create(ctx, account.SignUpInput{Email: a.Email, Password: apptest.Password, DisplayName: "Cleo again"}, account.RoleClient); err != nil {
		t.Errorf("signing up again with %s: %v", a.Email, err)
	}
	// The used link deletes nothing more.
	if res := s.Client().Form("/accounts/delete-account/confirm", url.Values{"token": {token}}); res.Status != http.StatusBadRequest {
		t.Errorf("the used link: %d", res.Status)
	}

	readerDeletion(t, m)
}

// readerDeletion: reader A, who signs in with two-factor codes, is refused
// with a wrong code at its field; with the right one, deleting pays out
// their whole earnings first.
func readerDeletion(t *testing.T, m *authzWorld) {
	s, r := m.s, m.reader
	web, _ := m.login(t, r.Email)
	if res := web.Form("/accounts/delete-account/", url.Values{"current_password": {apptest.Password}, "code": {"000000"}}); res.Status != http.StatusUnauthorized ||
		!bytes.Contains(res.Body, []byte(`field-error`)) {
		t.Errorf("a wrong code: %d %.1500s", res.Status, res.Body)
	}
	// Earnings under the payout minimum, which a final payout pays all the same.
	if _, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: "deletion-earn", Type: ledger.TypeAdjustment,
		Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -1234}, {Account: ledger.Earnings(r.ID), Amount: 1234}}}); err != nil {
		t.Fatal(err)
	}
	earned, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Earnings(r.ID))
	if err != nil || earned < 1234 || earned >= s.App.Payouts.MinCents {
		t.Fatalf("reader A has earned %d (%v)", earned, err)
	}
	rdr := s.Client()
	rdr.Token = m.tokens["readerA"]
	if p := decode[deletionPreviewAPI](t, rdr.Do("GET", "/api/v1/me/deletion", nil)); p.EarningsCents != earned || p.PayoutProblem != "" {
		t.Errorf("the reader's preview with %d earned: %+v", earned, p)
	}
	if res := rdr.Do("POST", "/api/v1/me/deletion", map[string]string{"current_password": apptest.Password, "code": s.TwoFactorCode(r)}); res.Status != http.StatusAccepted {
		t.Fatalf("the reader asking: %d %s", res.Status, res.Body)
	}
	links := deletionLinksTo(t, s, r.Email)
	if len(links) != 1 {
		t.Fatalf("%d links sent to the reader", len(links))
	}
	token := strings.TrimPrefix(links[0], "/accounts/delete-account/confirm?token=")
	if res := s.Client().Do("POST", "/api/v1/account-deletions/confirm", map[string]string{"token": token}); res.Status != http.StatusNoContent {
		t.Fatalf("confirming the reader's deletion: %d %s", res.Status, res.Body)
	}
	var paid int64
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_cents), 0) FROM payouts WHERE user_id = $1 AND state = 'paid'`,
		r.ID).Scan(&paid); err != nil || paid < earned {
		t.Errorf("reader A's payouts total %d (%v), after %d earned", paid, err, earned)
	}
	if left, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Earnings(r.ID)); err != nil || left != 0 {
		t.Errorf("reader A's earnings after deleting: %d (%v)", left, err)
	}
	if hits := scanText(t, s.App.DB, []string{r.Email, r.DisplayName, "Luna Vale"}); hits != nil {
		t.Errorf("after the reader's deletion: %q", hits)
	}
	if r, err := ledger.Verify(ctx, s.App.DB); err != nil || len(r.Problems) != 0 {
		t.Errorf("ledger verify after the reader's deletion: %+v (%v)", r, err)
	}
}

// deletionPreviewAPI is the API's answer about deleting the caller.
type deletionPreviewAPI struct {
	BalanceCents    int64  `json:"balance_cents"`
	CardRefundCents int64  `json:"card_refund_cents"`
	ForfeitedCents  int64  `json:"forfeited_cents"`
	EarningsCents   int64  `json:"earnings_cents"`
	PayoutProblem   string `json:"payout_problem"`
	Bookings        []struct {
		ID          int64 `json:"id"`
		Cancelled   bool  `json:"cancelled"`
		RefundCents int64 `json:"refund_cents"`
	} `json:"bookings"`
	LinkExpiresAt *time.Time `json:"link_expires_at"`
}

// deletionLinksTo returns the paths of the deletion links emailed to addr.
func deletionLinksTo(t *testing.T, s *apptest.Server, addr string) []string {
	t.Helper()
	mails, err := s.App.Mail.Recent(ctx, addr, 50)
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, e := range mails {
		if _, after, ok := strings.Cut(e.Body, s.URL+"/accounts/delete-account/confirm?token="); ok {
			tok, _, _ := strings.Cut(after, "\n")
			links = append(links, "/accounts/delete-account/confirm?token="+tok)
		}
	}
	return links
}

// filesOf lists the stored files of user u: avatar, uploads, thumbnails
// and exports.
func filesOf(t *testing.T, m *authzWorld, u int64) []string {
	t.Helper()
	rows, err := m.s.App.DB.Read().QueryContext(ctx, `SELECT avatar_key FROM users WHERE id = $1 AND avatar_key <> ''
		UNION ALL SELECT file_key FROM uploads WHERE owner_id = $1 UNION ALL SELECT thumb_key FROM uploads WHERE owner_id = $1 AND thumb_key <> ''
		UNION ALL SELECT file_key FROM data_exports WHERE user_id = $1 AND file_key <> ''`, u)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := db.Collect(rows, func(r db.Row) (string, error) {
		var k string
		err := r.Scan(&k)
		return k, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// scanText reads every column of every row of every table and reports
// where any of texts occurs (ignoring case).
func scanText(t *testing.T, d *db.DB, texts []string) []string {
	t.Helper()
	tables := dbtest.Tables(t, d)
	if len(tables) < 50 {
		t.Fatalf("only %d tables to scan", len(tables))
	}
	var hits []string
	for _, table := range tables {
		hits = append(hits, scanTable(t, d, table, texts)...)
	}
	return hits
}

// scanTable reports the columns of table holding any of texts.
func scanTable(t *testing.T, d *db.DB, table string, texts []string) []string {
	t.Helper()
	rows, err := d.Read().QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		t.Fatalf("scanning %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("scanning %s: %v", table, err)
		}
		for i, v := range vals {
			low := strings.ToLower(string(v))
			for _, text := range texts {
				if strings.Contains(low, strings.ToLower(text)) {
					hits = append(hits, fmt.Sprintf("%s.%s holds %q: %.200s", table, cols[i], text, v))
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("scanning %s: %v", table, err)
	}
	return slices.Compact(hits)
}
