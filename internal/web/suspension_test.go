package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/realtime"
)

// COM-6: a suspension ends at once what the author has open, not only what
// they would open next. Their stream connection (opened with an API token)
// and their own live connection (opened by a page with its session cookie)
// each get account.signed_out and close; the page's session and the API
// token are refused, and so is a new connection. Others' connections to
// the same stream stay open.
func TestSuspensionEndsConnections_COM6(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		st, err := s.App.Live.Start(ctx, w.reader, liveInput("Evening tarot", "public"))
		if err != nil {
			t.Fatal(err)
		}
		stream, readerStream := streamDial(t, s, w.as["client"].Token, st.ID), streamDial(t, s, w.as["reader"].Token, st.ID)
		for _, c := range []*streamConn{stream, readerStream} {
			if m := c.next(t); m.Type != "stream.state" {
				t.Fatalf("first message %s", m.Type)
			}
		}
		page := s.Client()
		own := wsDial(t, s, wsCookieHeader(t, s, page, w.client.Email))
		if res := page.Do("GET", "/api/v1/me", nil); res.Status != http.StatusOK {
			t.Fatalf("the page's session before: %d", res.Status)
		}
		m, err := s.App.Live.Say(ctx, w.client, st.ID, "DM me for cheaper readings")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Flags.Raise(ctx, w.reader, flag.RaiseInput{TargetType: flag.TargetMessage, TargetID: m.ID, Reason: "spam"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Flags.Decide(ctx, w.admin, flag.TargetMessage, m.ID, flag.Decision{Action: "suspend", SuspendDays: 7}); err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]<-chan realtime.Message{"stream": stream.out, "own": own} {
			if types := untilClosed(t, c); len(types) == 0 || types[len(types)-1] != realtime.TypeSignedOut {
				t.Errorf("the %s connection got %v before closing, want %s last", name, types, realtime.TypeSignedOut)
			}
		}
		if res := page.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
			t.Errorf("the page's session after: %d", res.Status)
		}
		if res := w.as["client"].Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
			t.Errorf("the API token after: %d", res.Status)
		}
		if _, err := s.App.Live.Say(ctx, w.reader, st.ID, "Still here"); err != nil {
			t.Fatal(err)
		}
		for {
			if m := readerStream.next(t); m.Type == "stream.chat" {
				break
			}
		}
	})
}

// untilClosed reads c until its connection closes and returns the types
// of the messages it got; the test fails if it stays open for wsWait.
func untilClosed(t *testing.T, c <-chan realtime.Message) []string {
	t.Helper()
	var types []string
	deadline := time.After(wsWait)
	for {
		select {
		case m, ok := <-c:
			if !ok {
				return types
			}
			types = append(types, m.Type)
		case <-deadline:
			t.Fatalf("the connection stayed open, after %v", types)
		}
	}
}
