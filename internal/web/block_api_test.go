package web_test

import (
	"net/http"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// ACC-6: a block by either side stops the client asking the reader for a
// reading and joining their queue, through the API, with the same neutral
// answer whoever blocked whom; the blocker lists and lifts it, the other
// never sees it, and lifting it lets the client in again.
func TestBlockingRefusesReadingsBothWays_ACC6(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		client, luna := w.as["client"], w.as["reader"]
		refused := func(why string) {
			t.Helper()
			for _, req := range []struct{ method, path, body string }{
				{"POST", "/api/v1/readings", `{"reader_id": ` + id(w.reader.ID) + `, "modality": "text"}`},
				{"POST", "/api/v1/readers/" + id(w.reader.ID) + "/queue", `{"modality": "text"}`},
				{"PUT", "/api/v1/readers/" + id(w.reader.ID) + "/notify-online", ""},
			} {
				var body any
				if req.body != "" {
					body = req.body
				}
				p := problemOf(t, client.Do(req.method, req.path, body), http.StatusNotFound)
				if p.Detail != "This reader is not available." {
					t.Errorf("%s: %s %s said %q, not the neutral refusal", why, req.method, req.path, p.Detail)
				}
			}
		}
		blocks := func(c *apptest.Client) []blockJSON {
			t.Helper()
			res := c.Do("GET", "/api/v1/blocks", nil)
			var out struct{ Blocks []blockJSON }
			res.JSON(t, &out)
			if res.Status != http.StatusOK || out.Blocks == nil {
				t.Fatalf("list blocks: %d %s", res.Status, res.Body)
			}
			return out.Blocks
		}

		// The client blocks the reader.
		res := client.Do("PUT", "/api/v1/blocks/"+id(w.reader.ID), nil)
		var e blockJSON
		res.JSON(t, &e)
		if res.Status != http.StatusOK || e.UserID != w.reader.ID || e.DisplayName != "Luna Vale" || e.Role != "reader" {
			t.Fatalf("block: %d %s", res.Status, res.Body)
		}
		if again := client.Do("PUT", "/api/v1/blocks/"+id(w.reader.ID), nil); again.Status != http.StatusOK {
			t.Fatalf("block again: %d %s", again.Status, again.Body)
		}
		refused("the client blocked the reader")
		if got := blocks(client); len(got) != 1 || got[0].UserID != w.reader.ID {
			t.Fatalf("the client's blocks = %+v", got)
		}
		if got := blocks(luna); len(got) != 0 {
			t.Fatalf("the reader sees the client's block: %+v", got)
		}
		if res := client.Do("DELETE", "/api/v1/blocks/"+id(w.reader.ID), nil); res.Status != http.StatusNoContent {
			t.Fatalf("unblock: %d %s", res.Status, res.Body)
		}
		if res := client.Do("POST", "/api/v1/readers/"+id(w.reader.ID)+"/queue", `{"modality": "text"}`); res.Status != http.StatusOK {
			t.Fatalf("queue after unblocking: %d %s", res.Status, res.Body)
		}

		// The reader blocks the client, which also takes them out of the queue.
		if res := luna.Do("PUT", "/api/v1/blocks/"+id(w.client.ID), nil); res.Status != http.StatusOK {
			t.Fatalf("reader blocks client: %d %s", res.Status, res.Body)
		}
		var queued int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM reading_queue WHERE client_id = $1`, w.client.ID).Scan(&queued); err != nil || queued != 0 {
			t.Fatalf("the blocked client is still queued (%d, %v)", queued, err)
		}
		refused("the reader blocked the client")
		if got := blocks(client); len(got) != 0 {
			t.Fatalf("the client sees the reader's block: %+v", got)
		}
		// The client cannot lift the reader's block.
		if res := client.Do("DELETE", "/api/v1/blocks/"+id(w.reader.ID), nil); res.Status != http.StatusNoContent {
			t.Fatalf("unblock none: %d %s", res.Status, res.Body)
		}
		refused("the reader's block stands")
		if res := luna.Do("DELETE", "/api/v1/blocks/"+id(w.client.ID), nil); res.Status != http.StatusNoContent {
			t.Fatalf("reader unblocks: %d %s", res.Status, res.Body)
		}
		if res := client.Do("POST", "/api/v1/readers/"+id(w.reader.ID)+"/queue", `{"modality": "text"}`); res.Status != http.StatusOK {
			t.Fatalf("queue after the reader unblocked: %d %s", res.Status, res.Body)
		}

		// Only a client–reader pair blocks; bad ids are field-free 4xx.
		problemOf(t, luna.Do("PUT", "/api/v1/blocks/"+id(w.pending.ID), nil), http.StatusBadRequest)
		problemOf(t, w.as["admin"].Do("PUT", "/api/v1/blocks/"+id(w.client.ID), nil), http.StatusForbidden)
		problemOf(t, client.Do("PUT", "/api/v1/blocks/999999", nil), http.StatusNotFound)
		problemOf(t, client.Do("PUT", "/api/v1/blocks/x", nil), http.StatusNotFound)
		problemOf(t, client.Do("DELETE", "/api/v1/blocks/-1", nil), http.StatusNotFound)
	})
}

// blockJSON is an entry of GET /api/v1/blocks.
type blockJSON struct {
	UserID      int64  `json:"user_id"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
}
