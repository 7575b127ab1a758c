package web_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/live"
)

// noLiveStreams ends reader A's and reader B's live streams, so either may
// go live.
func noLiveStreams(t *testing.T, m *authzWorld) {
	t.Helper()
	for _, r := range []account.User{m.reader, m.readerB} {
		list, err := m.s.App.Live.LiveNow(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range list {
			if st.ReaderID != r.ID {
				continue
			}
			if _, err := m.s.App.Live.End(ctx, r, st.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// goLiveA puts reader A live afresh with in and returns the stream's id.
func goLiveA(t *testing.T, m *authzWorld, in live.StartInput) string {
	t.Helper()
	noLiveStreams(t, m)
	st, err := m.s.App.Live.Start(ctx, m.reader, in)
	if err != nil {
		t.Fatal(err)
	}
	return id(st.ID)
}

// streamOfA is {stream}: a public stream of reader A, live, and {gift},
// the catalog's first gift.
func streamOfA(t *testing.T, m *authzWorld) {
	m.vals["stream"] = goLiveA(t, m, live.StartInput{Title: "Matrix stream", Visibility: "public"})
	giftOfCatalog(t, m)
}

// premiumOfA is {premium}: a premium stream of reader A at $1, live, for
// which nobody holds a ticket.
func premiumOfA(t *testing.T, m *authzWorld) {
	m.vals["premium"] = goLiveA(t, m, live.StartInput{Title: "Matrix premium", Visibility: "premium", TicketPriceCents: 100})
}

// ticketedOfA is {ticketed}: a premium stream of reader A for which
// client A holds a ticket, with a line of client A's in its chat, which
// only who may watch the stream may read.
func ticketedOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	premiumOfA(t, m)
	m.vals["ticketed"] = m.vals["premium"]
	streamID := mustID(t, m.vals["ticketed"])
	if _, _, err := m.s.App.Live.BuyTicket(ctx, m.client, streamID); err != nil {
		t.Fatal(err)
	}
	text := "Matrix stream chat of client A"
	if m.vals["streamchat"] == "" {
		m.vals["streamchat"] = m.secret(true, text, "clientA", "readerA", "admin")
	}
	if _, err := m.s.App.Live.Say(ctx, m.client, streamID, text); err != nil {
		t.Fatal(err)
	}
}

// giftOfCatalog is {gift}: the catalog's first gift.
func giftOfCatalog(t *testing.T, m *authzWorld) {
	t.Helper()
	gifts, err := m.s.App.Live.Gifts(ctx, false)
	if err != nil || len(gifts) == 0 {
		t.Fatalf("gifts: %v %v", gifts, err)
	}
	m.vals["gift"] = id(gifts[0].ID)
}
