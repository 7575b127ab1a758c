package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/realtime"
)

// MSG-4: a paid reply's text reaches the client only once they have paid
// for it. Before the unlock no answer of the API, no page, no
// notification and no live event to either party holds it — the answer to the reader who sent it
// and the reader's own live events included; an unlock the wallet cannot
// pay is a 402 saying how much is missing. After the unlock the API, the
// page and the live event carry it.
func TestLockedReplyNeverLeaks_MSG4(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		const marker = "Secret-of-the-paid-reply-7Q2"
		api, readerAPI := w.as["client"], w.as["reader"]
		page, _ := w.login(t, w.client.Email)
		clientLive := wsDial(t, s, wsTokenHeader(t, api))
		readerLive := wsDial(t, s, wsTokenHeader(t, readerAPI))

		var sent struct {
			ID             int64 `json:"id"`
			ConversationID int64 `json:"conversation_id"`
			Locked         bool  `json:"locked"`
		}
		res := api.Do("POST", "/api/v1/messages", map[string]any{"to_user_id": w.reader.ID, "body": "Will I move this year?"})
		if res.Status != http.StatusCreated {
			t.Fatalf("client writes: %d %s", res.Status, res.Body)
		}
		res = readerAPI.Do("POST", "/api/v1/messages", map[string]any{"to_user_id": w.client.ID, "body": marker, "paid": true})
		res.JSON(t, &sent)
		if res.Status != http.StatusCreated || !sent.Locked {
			t.Fatalf("reader's paid reply: %d %s", res.Status, res.Body)
		}
		checked := 0
		noMarker := func(what string, res apptest.Response, status int) {
			t.Helper()
			checked++
			if res.Status != status {
				t.Errorf("%s: %d, want %d: %.300s", what, res.Status, status, res.Body)
			}
			if bytes.Contains(res.Body, []byte(marker)) {
				t.Errorf("%s holds the locked text", what)
			}
		}
		noMarker("the answer to the reader who sent it", res, http.StatusCreated)

		// Both parties' live events up to the paid reply's arrival.
		events := 0
		for _, live := range []<-chan realtime.Message{clientLive, readerLive} {
			for {
				ev := wsNext(t, live)
				events++
				if bytes.Contains(ev.Data, []byte(marker)) {
					t.Errorf("live event %s holds the locked text", ev.Type)
				}
				if ev.Type == "message.new" && bytes.Contains(ev.Data, []byte(`"id":`+id(sent.ID)+`,`)) {
					break
				}
			}
		}

		conv := "/conversations/" + id(sent.ConversationID)
		for _, path := range []string{"/api/v1/conversations", "/api/v1/conversations?paid=true", "/api/v1" + conv + "/messages",
			"/api/v1/messages?q=" + marker, "/api/v1/messages?q=Secret", "/api/v1/messages?paid=true"} {
			noMarker("GET "+path, api.Do("GET", path, nil), http.StatusOK)
		}
		var notified int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1`, w.client.ID).Scan(&notified); err != nil {
			t.Fatal(err)
		}
		var leaked int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE title LIKE $1 OR body LIKE $1`, "%"+marker+"%").Scan(&leaked); err != nil {
			t.Fatal(err)
		}
		if notified == 0 || leaked != 0 {
			t.Errorf("the client has %d notifications, %d of them with the locked text", notified, leaked)
		}
		for _, path := range []string{"/messages", "/messages?q=paid-reply-7Q2", // the search box shows the words searched for
			"/messages?paid=1", conv, "/dashboard"} {
			res := page.Do("GET", path, nil)
			noMarker("page "+path, res, http.StatusOK)
			if path == conv && !strings.Contains(string(res.Body), "Unlock for $1.00") {
				t.Errorf("the conversation page offers no unlock: %.500s", res.Body)
			}
		}

		// With an empty wallet the unlock is refused, saying what is missing.
		res = api.Do("POST", "/api/v1/messages/"+id(sent.ID)+"/unlock", nil)
		noMarker("an unlock the wallet cannot pay", res, http.StatusPaymentRequired)
		if p := problemOf(t, res, http.StatusPaymentRequired); !strings.Contains(p.Detail, "add $1.00") {
			t.Errorf("the refusal says %q", p.Detail)
		}
		noMarker("the history after the refusal", api.Do("GET", "/api/v1"+conv+"/messages", nil), http.StatusOK)
		if checked < 14 {
			t.Fatalf("only %d answers checked", checked)
		}
		if events < 2 {
			t.Fatalf("only %d live events checked", events)
		}

		topUp := w.s.App.Ledger
		if _, err := topUp.Transfer(ctx, ledger.Transfer{Key: "locked-test", Type: ledger.TypeTopUp, CauseType: "topup", CauseID: "locked-test",
			Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -500}, {Account: ledger.Wallet(w.client.ID), Amount: 500}}}); err != nil {
			t.Fatal(err)
		}
		res = api.Do("POST", "/api/v1/messages/"+id(sent.ID)+"/unlock", nil)
		var open struct {
			Body       string `json:"body"`
			TransferID int64  `json:"transfer_id"`
		}
		res.JSON(t, &open)
		if res.Status != http.StatusOK || open.Body != marker || open.TransferID == 0 {
			t.Fatalf("unlock: %d %s", res.Status, res.Body)
		}
		for {
			ev := wsNext(t, clientLive)
			if ev.Type == "message.unlocked" {
				if !bytes.Contains(ev.Data, []byte(marker)) {
					t.Errorf("the unlocked event carries no text: %s", ev.Data)
				}
				break
			}
		}
		if res := page.Do("GET", conv, nil); !bytes.Contains(res.Body, []byte(marker)) {
			t.Error("the conversation page does not show the unlocked text")
		}
	})
}
