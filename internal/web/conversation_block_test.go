package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// ACC-6: a reader blocks a client from their conversation's page and is
// brought back to it, which then offers Unblock; the client can no longer
// reach the reader, and unblocking there lets them in again.
func TestBlockFromConversation_ACC6(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		write := func() apptest.Response {
			return w.as["client"].Do("POST", "/api/v1/messages", map[string]any{"to_user_id": w.reader.ID, "body": "Are you free tonight?", "paid": false})
		}
		res := write()
		var sent struct {
			ConversationID int64 `json:"conversation_id"`
		}
		res.JSON(t, &sent)
		if res.Status != http.StatusCreated || sent.ConversationID == 0 {
			t.Fatalf("send: %d %s", res.Status, res.Body)
		}
		page := "/conversations/" + id(sent.ConversationID)
		luna, _ := w.login(t, w.reader.Email)
		if body := string(luna.Do("GET", page, nil).Body); !strings.Contains(body, "data-block") || strings.Contains(body, "data-unblock") {
			t.Fatalf("the conversation offers no Block: %s", body)
		}
		res = luna.Do("POST", "/account/blocked", []byte(url.Values{"user_id": {id(w.client.ID)}}.Encode()),
			"Content-Type", "application/x-www-form-urlencoded", "Referer", s.URL+page)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != page {
			t.Fatalf("block: %d %s", res.Status, res.Header.Get("Location"))
		}
		if body := string(luna.Do("GET", page, nil).Body); !strings.Contains(body, "You blocked cleo") || !strings.Contains(body, "data-unblock") {
			t.Fatalf("the conversation does not say the client is blocked: %s", body)
		}
		problemOf(t, write(), http.StatusNotFound)
		res = luna.Do("POST", "/account/blocked/"+id(w.client.ID)+"/unblock", nil, "Referer", s.URL+page)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != page {
			t.Fatalf("unblock: %d %s", res.Status, res.Header.Get("Location"))
		}
		if res := write(); res.Status != http.StatusCreated {
			t.Fatalf("send after unblocking: %d %s", res.Status, res.Body)
		}
	})
}
