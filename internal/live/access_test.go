package live_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	accesstoken "github.com/AgoraIO-Community/go-tokenbuilder/accesstoken2"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

// LIV-3, ACC-6: a private stream admits only the users its reader invited
// (and the reader and admins): anyone else is Forbidden on joining, in
// chat and with gifts; a reader and client in a block cannot join each
// other's streams, either way round.
func TestPrivateStream_LIV3_ACC6(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		guest := w.user(t, "Guest", "client")
		w.fund(t, guest, 1000)
		st := w.start(t, live.StartInput{Title: "Circle", Visibility: "private", InvitedUserIDs: []int64{guest.ID}})
		gift := w.firstGift(t)
		for _, u := range []account.User{guest, w.reader, w.admin} {
			if _, err := w.live.Join(ctx, u, st.ID); err != nil {
				t.Errorf("%s joining: %v", u.DisplayName, err)
			}
		}
		if _, err := w.live.Say(ctx, guest, st.ID, "Hello circle"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.live.SendGift(ctx, guest, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "g1"}); err != nil {
			t.Fatal(err)
		}
		_, err := w.live.Join(ctx, w.client, st.ID)
		wantCode(t, "an uninvited client joining", err, apperr.Forbidden)
		if !strings.Contains(apperr.MessageOf(err), "private") {
			t.Errorf("refusal %q does not say the stream is private", apperr.MessageOf(err))
		}
		_, err = w.live.Say(ctx, w.client, st.ID, "Let me in")
		wantCode(t, "an uninvited client chatting", err, apperr.Forbidden)
		_, _, err = w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "g2"})
		wantCode(t, "an uninvited client gifting", err, apperr.Forbidden)
		_, err = w.live.Transcript(ctx, w.client, st.ID)
		wantCode(t, "an uninvited client reading the chat", err, apperr.Forbidden)

		// ACC-6: a block either way round keeps the pair apart.
		if _, err := w.live.End(ctx, w.reader, st.ID); err != nil {
			t.Fatal(err)
		}
		open := w.public(t)
		if _, err := w.live.Join(ctx, w.client, open.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.App.Blocks.Block(ctx, w.client, w.reader.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.live.Join(ctx, w.client, open.ID)
		wantCode(t, "a client who blocked the reader joining", err, apperr.Forbidden)
		if err := w.s.App.Blocks.Unblock(ctx, w.client, w.reader.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.App.Blocks.Block(ctx, w.reader, w.client.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.live.Join(ctx, w.client, open.ID)
		wantCode(t, "a client the reader blocked joining", err, apperr.Forbidden)
		_, err = w.live.Say(ctx, w.client, open.ID, "hi")
		wantCode(t, "a client the reader blocked chatting", err, apperr.Forbidden)
		if n := w.count(t, `SELECT count(*) FROM stream_gifts`); n != 1 {
			t.Errorf("%d gifts, want the guest's one", n)
		}
	})
}

// LIV-3: a premium stream needs a ticket: without one, joining, chatting
// and gifting are PaymentRequired (naming the price); a ticket is bought
// from the wallet at the reader's price, split 70/30 in one transfer, and
// then all three are allowed; buying again — also ten purchases racing —
// answers the same ticket and charges once; a short wallet says balance,
// price and shortfall; the reader and admins need no ticket.
func TestPremiumGating_LIV3(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.start(t, live.StartInput{Title: "Eclipse special", Visibility: "premium", TicketPriceCents: 999})
		gift := w.firstGift(t)
		_, err := w.live.Join(ctx, w.client, st.ID)
		wantCode(t, "joining without a ticket", err, apperr.PaymentRequired)
		if !strings.Contains(apperr.MessageOf(err), "$9.99") {
			t.Errorf("refusal %q does not name the price", apperr.MessageOf(err))
		}
		_, err = w.live.Say(ctx, w.client, st.ID, "hello")
		wantCode(t, "chatting without a ticket", err, apperr.PaymentRequired)
		_, _, err = w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "early"})
		wantCode(t, "gifting without a ticket", err, apperr.PaymentRequired)
		for _, u := range []account.User{w.reader, w.admin} {
			if _, err := w.live.Join(ctx, u, st.ID); err != nil {
				t.Errorf("%s joining without a ticket: %v", u.DisplayName, err)
			}
		}

		var wg sync.WaitGroup
		tickets := make([]live.Ticket, 10)
		replays := make([]bool, 10)
		for i := range tickets {
			wg.Go(func() {
				var err error
				if tickets[i], replays[i], err = w.live.BuyTicket(ctx, w.client, st.ID); err != nil {
					t.Errorf("purchase %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		fresh := 0
		for i, tk := range tickets {
			if tk.ID != tickets[0].ID || tk.PriceCents != 999 || tk.ReaderCents != 699 || tk.PlatformCents != 300 {
				t.Errorf("purchase %d: %+v, want ticket %d split 699/300", i, tk, tickets[0].ID)
			}
			if !replays[i] {
				fresh++
			}
		}
		if fresh != 1 {
			t.Errorf("%d purchases charged, want 1", fresh)
		}
		if n := w.count(t, `SELECT count(*) FROM ledger_transfers WHERE type = 'order' AND cause_type = 'stream_ticket'`); n != 1 {
			t.Errorf("%d ticket transfers, want 1", n)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 10_000-999 {
			t.Errorf("wallet %d, want %d", got, 10_000-999)
		}
		if got := w.balance(t, ledger.Earnings(w.reader.ID)); got != 699 {
			t.Errorf("earnings %d, want 699", got)
		}
		if _, err := w.live.Join(ctx, w.client, st.ID); err != nil {
			t.Errorf("joining with a ticket: %v", err)
		}
		if _, err := w.live.Say(ctx, w.client, st.ID, "hello"); err != nil {
			t.Errorf("chatting with a ticket: %v", err)
		}
		if _, _, err := w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "later"}); err != nil {
			t.Errorf("gifting with a ticket: %v", err)
		}

		_, _, err = w.live.BuyTicket(ctx, w.pauper, st.ID)
		wantCode(t, "a ticket the wallet cannot pay", err, apperr.InsufficientFunds)
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "Your balance is $0.00 and a ticket costs $9.99: add $9.99") {
			t.Errorf("short wallet: %q", msg)
		}
		_, _, err = w.live.BuyTicket(ctx, w.reader, st.ID)
		wantCode(t, "the reader buying a ticket", err, apperr.Conflict)
		open := w.user(t, "Open", "client")
		if _, err := w.live.End(ctx, w.reader, st.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = w.live.BuyTicket(ctx, open, st.ID)
		wantCode(t, "a ticket for an ended stream", err, apperr.Conflict)
		pub := w.public(t)
		_, _, err = w.live.BuyTicket(ctx, w.client, pub.ID)
		wantCode(t, "a ticket for a public stream", err, apperr.Conflict)
		w.verify(t)
	})
}

// AGO-4, AGO-1, LIV-2: with Agora set up, joining gives the reader a
// publisher token for the stream's channel and a viewer a subscriber
// token, both for 20 minutes, and each an RTM token; without Agora the
// tokens are absent and the stream still runs.
func TestJoinTokens_AGO4(t *testing.T) {
	withAgora := apptest.WithConfig(func(c *config.Config) {
		c.AgoraAppID, c.AgoraCertificate = "970CA35de60c44645bbae8a215061b33", "5CFd2fd1755d40ecb72977518be15d3b"
	})
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		pub, err := w.live.Join(ctx, w.reader, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := w.live.Join(ctx, w.client, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pub.Role != "publisher" || sub.Role != "subscriber" || pub.RTC == nil || sub.RTC == nil || pub.RTM == nil || sub.RTM == nil {
			t.Fatalf("joined %+v and %+v", pub, sub)
		}
		for _, c := range []struct {
			j          live.Joined
			privileges int
		}{{pub, 4}, {sub, 1}} {
			if c.j.RTC.Channel != st.Channel() || !c.j.RTC.ExpiresAt.Equal(t0.Add(20*time.Minute)) || !c.j.RTM.ExpiresAt.Equal(t0.Add(20*time.Minute)) {
				t.Errorf("tokens %+v %+v", c.j.RTC, c.j.RTM)
			}
			at := accesstoken.CreateAccessToken()
			if ok, err := at.Parse(c.j.RTC.Token); !ok || err != nil {
				t.Fatalf("parse: %v %v", ok, err)
			}
			if ps := at.Services[accesstoken.ServiceTypeRtc].(*accesstoken.ServiceRtc).Privileges; len(ps) != c.privileges {
				t.Errorf("%s privileges %v, want %d", c.j.Role, ps, c.privileges)
			}
			rtm := accesstoken.CreateAccessToken()
			if ok, err := rtm.Parse(c.j.RTM.Token); !ok || err != nil || rtm.Expire != 1200 {
				t.Fatalf("parse RTM: %v %v, expire %d", ok, err, rtm.Expire)
			}
		}
		if sub.RTM.UserID != strconv.FormatInt(w.client.ID, 10) || sub.RTC.UID != uint32(w.client.ID) {
			t.Errorf("viewer tokens name %q and %d", sub.RTM.UserID, sub.RTC.UID)
		}
	}, withAgora)
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		j, err := w.live.Join(ctx, w.client, st.ID)
		if err != nil || j.RTC != nil || j.RTM != nil || j.Role != "subscriber" {
			t.Fatalf("without Agora: %+v %v, want no tokens", j, err)
		}
		if _, err := w.live.End(ctx, w.reader, st.ID); err != nil {
			t.Fatal(err)
		}
		_, err = w.live.Join(ctx, w.client, st.ID)
		wantCode(t, "joining an ended stream", err, apperr.Conflict)
		_, err = w.live.Join(ctx, w.client, 999999)
		wantCode(t, "joining no stream", err, apperr.NotFound)
	})
}

// firstGift is the catalog's first gift on offer.
func (w *world) firstGift(t *testing.T) live.Gift {
	t.Helper()
	gifts, err := w.live.Gifts(ctx, false)
	if err != nil || len(gifts) == 0 {
		t.Fatalf("gifts: %v %v", gifts, err)
	}
	return gifts[0]
}
