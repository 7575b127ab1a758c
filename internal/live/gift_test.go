package live_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

// LIV-4, SEC-4: the catalog is seeded with a handful of gifts from $1 to
// $50; an admin adds and changes gifts, each change audited with what it
// was before; an inactive gift is listed only for admins and cannot be
// sent; bad input names its fields.
func TestGiftCatalog_LIV4(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		seeded, err := w.live.Gifts(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(seeded) < 5 || seeded[0].PriceCents != 100 || seeded[len(seeded)-1].PriceCents != 5000 {
			t.Fatalf("seeded catalog = %+v, want a handful from $1 to $50", seeded)
		}
		added, err := w.live.CreateGift(ctx, w.admin, live.GiftInput{Name: " Comet ", PriceCents: 333, Animation: "comet", SortOrder: 10})
		if err != nil {
			t.Fatal(err)
		}
		if added.Name != "Comet" || !added.Active || added.PriceCents != 333 {
			t.Fatalf("added = %+v", added)
		}
		off := false
		changed, err := w.live.UpdateGift(ctx, w.admin, added.ID, live.GiftInput{Name: "Comet", PriceCents: 444, Animation: "comet", Active: &off, SortOrder: 10})
		if err != nil || changed.Active || changed.PriceCents != 444 {
			t.Fatalf("changed = %+v %v", changed, err)
		}
		entries, err := audit.List(ctx, w.s.App.DB.Read(), audit.Filter{ActorID: w.admin.ID, Model: "gift"})
		if err != nil || len(entries) != 2 || entries[0].Action != "gift.update" || entries[1].Action != "gift.create" ||
			entries[0].ObjectID != strconv.FormatInt(added.ID, 10) || entries[0].Details["before"] == nil {
			t.Fatalf("audit = %+v %v", entries, err)
		}
		offered, _ := w.live.Gifts(ctx, false)
		all, _ := w.live.Gifts(ctx, true)
		if len(offered) != len(seeded) || len(all) != len(seeded)+1 {
			t.Errorf("%d offered and %d in all, want %d and %d", len(offered), len(all), len(seeded), len(seeded)+1)
		}
		st := w.public(t)
		_, _, err = w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: added.ID, Quantity: 1, IdempotencyKey: "comet"})
		wantCode(t, "sending an inactive gift", err, apperr.Unprocessable)
		_, err = w.live.UpdateGift(ctx, w.admin, 999999, live.GiftInput{Name: "x", PriceCents: 1, Animation: "rose"})
		wantCode(t, "changing no gift", err, apperr.NotFound)
		_, err = w.live.CreateGift(ctx, w.admin, live.GiftInput{Name: " ", PriceCents: 0, Animation: "fireworks", SortOrder: -1})
		if e := apperr.As(err); e == nil || len(e.Fields) != 4 {
			t.Errorf("bad gift: %v, want name, price_cents, animation and sort_order named", err)
		}
	})
}

// LIV-5: a hundred viewers each send a gift at the same moment: every
// gift is stored with one 'gift' transfer, the reader's earnings and the
// platform's revenue grow by exactly the sums of the splits (70 % rounded
// down to the reader, the odd cent to the platform), every wallet pays
// exactly its gift, and the ledger verifies.
func TestConcurrentGifts_LIV5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		catalog, err := w.live.Gifts(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		// An odd price makes the rounding show: 333 × 70 % = 233.1.
		odd, err := w.live.CreateGift(ctx, w.admin, live.GiftInput{Name: "Odd", PriceCents: 333, Animation: "heart"})
		if err != nil {
			t.Fatal(err)
		}
		catalog = append(catalog, odd)
		viewers := make([]account.User, 100)
		for i := range viewers {
			viewers[i] = w.user(t, fmt.Sprintf("Viewer %d", i), account.RoleClient)
			w.fund(t, viewers[i], 20_000)
		}
		platformBefore, err := w.s.App.Ledger.PlatformRevenueTotal(ctx, w.s.App.DB.Read())
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		sent := make([]live.Sent, len(viewers))
		for i, v := range viewers {
			wg.Go(func() {
				g := catalog[i%len(catalog)]
				var err error
				if sent[i], _, err = w.live.SendGift(ctx, v, st.ID, live.SendInput{GiftID: g.ID, Quantity: 1 + i%3, IdempotencyKey: "tap"}); err != nil {
					t.Errorf("viewer %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		var total, readerSum, platformSum int64
		for i, g := range sent {
			price := catalog[i%len(catalog)].PriceCents * int64(1+i%3)
			wantReader := price * 70 / 100
			if g.AmountCents != price || g.ReaderCents != wantReader || g.PlatformCents != price-wantReader {
				t.Errorf("viewer %d: %+v, want %d split %d/%d", i, g, price, wantReader, price-wantReader)
			}
			if got := w.balance(t, ledger.Wallet(viewers[i].ID)); got != 20_000-price {
				t.Errorf("viewer %d wallet %d, want %d", i, got, 20_000-price)
			}
			total, readerSum, platformSum = total+price, readerSum+wantReader, platformSum+price-wantReader
		}
		if got := w.balance(t, ledger.Earnings(w.reader.ID)); got != readerSum {
			t.Errorf("reader earnings %d, want %d", got, readerSum)
		}
		platformAfter, err := w.s.App.Ledger.PlatformRevenueTotal(ctx, w.s.App.DB.Read())
		if err != nil {
			t.Fatal(err)
		}
		if platformAfter-platformBefore != platformSum || readerSum+platformSum != total {
			t.Errorf("platform gained %d, want %d (of %d in all)", platformAfter-platformBefore, platformSum, total)
		}
		if n := w.count(t, `SELECT count(*) FROM ledger_transfers WHERE type = 'gift'`); n != 100 {
			t.Errorf("%d gift transfers, want 100", n)
		}
		if n := w.count(t, `SELECT count(*) FROM stream_gifts WHERE stream_id = $1`, st.ID); n != 100 {
			t.Errorf("%d gifts stored, want 100", n)
		}
		w.verify(t)
	})
}

// LIV-5: the same idempotency key sent twenty times at once is one gift
// and one transfer, every answer that gift; the key sent again later is
// the same gift, and used for another gift a Conflict; keys are each
// sender's own.
func TestGiftIdempotency_LIV5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		gift := w.firstGift(t)
		in := live.SendInput{GiftID: gift.ID, Quantity: 2, IdempotencyKey: "double-tap"}
		var wg sync.WaitGroup
		sent := make([]live.Sent, 20)
		fresh := make([]bool, 20)
		for i := range sent {
			wg.Go(func() {
				var replayed bool
				var err error
				if sent[i], replayed, err = w.live.SendGift(ctx, w.client, st.ID, in); err != nil {
					t.Errorf("send %d: %v", i, err)
				}
				fresh[i] = !replayed
			})
		}
		wg.Wait()
		n := 0
		for i, g := range sent {
			if g.ID != sent[0].ID || g.AmountCents != 2*gift.PriceCents {
				t.Errorf("send %d answered %+v, want gift %d", i, g, sent[0].ID)
			}
			if fresh[i] {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d sends were not replays, want 1", n)
		}
		if c := w.count(t, `SELECT count(*) FROM ledger_transfers WHERE type = 'gift'`); c != 1 {
			t.Errorf("%d gift transfers, want 1", c)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 10_000-2*gift.PriceCents {
			t.Errorf("wallet %d, want %d", got, 10_000-2*gift.PriceCents)
		}
		if again, replayed, err := w.live.SendGift(ctx, w.client, st.ID, in); err != nil || !replayed || again.ID != sent[0].ID {
			t.Errorf("sent again: %+v %v %v", again, replayed, err)
		}
		_, _, err := w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 3, IdempotencyKey: "double-tap"})
		wantCode(t, "the key for another gift", err, apperr.Conflict)
		other := w.user(t, "Other", account.RoleClient)
		w.fund(t, other, 1000)
		if g, replayed, err := w.live.SendGift(ctx, other, st.ID, in); err != nil || replayed || g.ID == sent[0].ID {
			t.Errorf("another sender's same key: %+v %v %v, want a gift of their own", g, replayed, err)
		}
		w.verify(t)
	})
}

// LIV-5: gifts sent into one stream at the same moment are committed
// together, yet each has its own outcome: of 90 senders at once, those who
// can pay send one gift each — also when their double tap races itself —
// while each short wallet alone is refused with its shortfall, pays
// nothing and leaves no gift behind, nor does its own double tap.
func TestGiftsIntoOneStreamAtOnce_LIV5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		gift := w.firstGift(t)
		type sender struct {
			u     account.User
			short bool
		}
		senders := make([]sender, 90)
		for i := range senders {
			senders[i] = sender{u: w.user(t, fmt.Sprintf("Sender %d", i), account.RoleClient), short: i%3 == 0}
			if senders[i].short {
				w.fund(t, senders[i].u, gift.PriceCents-1)
			} else {
				w.fund(t, senders[i].u, 10*gift.PriceCents)
			}
		}
		type outcome struct {
			g        live.Sent
			replayed bool
			err      error
		}
		got := make([][2]outcome, len(senders))
		var wg sync.WaitGroup
		for i, s := range senders {
			for tap := range 2 { // every sender taps twice
				wg.Go(func() {
					o := &got[i][tap]
					o.g, o.replayed, o.err = w.live.SendGift(ctx, s.u, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "tap"})
				})
			}
		}
		wg.Wait()
		paid := 0
		for i, s := range senders {
			a, b := got[i][0], got[i][1]
			if s.short {
				wantCode(t, fmt.Sprintf("short sender %d, first tap", i), a.err, apperr.InsufficientFunds)
				wantCode(t, fmt.Sprintf("short sender %d, second tap", i), b.err, apperr.InsufficientFunds)
				if bal := w.balance(t, ledger.Wallet(s.u.ID)); bal != gift.PriceCents-1 {
					t.Errorf("short sender %d: wallet %d, want %d", i, bal, gift.PriceCents-1)
				}
				continue
			}
			paid++
			if a.err != nil || b.err != nil || a.g.ID == 0 || a.g.ID != b.g.ID || a.replayed == b.replayed {
				t.Errorf("sender %d: taps answered %+v and %+v, want one gift, once fresh and once replayed", i, a, b)
			}
			if bal := w.balance(t, ledger.Wallet(s.u.ID)); bal != 9*gift.PriceCents {
				t.Errorf("sender %d: wallet %d, want %d", i, bal, 9*gift.PriceCents)
			}
		}
		if paid != 60 {
			t.Fatalf("%d senders could pay, want 60", paid)
		}
		if n := w.count(t, `SELECT count(*) FROM stream_gifts WHERE stream_id = $1`, st.ID); n != paid {
			t.Errorf("%d gifts stored, want %d", n, paid)
		}
		if n := w.count(t, `SELECT count(*) FROM ledger_transfers WHERE type = 'gift'`); n != paid {
			t.Errorf("%d gift transfers, want %d", n, paid)
		}
		if e := w.balance(t, ledger.Earnings(w.reader.ID)); e != int64(paid)*(gift.PriceCents*70/100) {
			t.Errorf("reader earnings %d, want %d", e, int64(paid)*(gift.PriceCents*70/100))
		}
		w.verify(t)
	})
}

// LIV-5: a short wallet is told its balance, the price and the shortfall
// and pays nothing; the reader cannot gift their own stream; an ended
// stream takes no gifts; bad input names its fields.
func TestGiftRefusals_LIV5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		gift := w.firstGift(t)
		w.fund(t, w.pauper, 150)
		_, _, err := w.live.SendGift(ctx, w.pauper, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 2, IdempotencyKey: "k"})
		wantCode(t, "a gift the wallet cannot pay", err, apperr.InsufficientFunds)
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "Your balance is $1.50 and this gift costs $2.00: add $0.50 to send it") {
			t.Errorf("short wallet: %q", msg)
		}
		_, _, err = w.live.SendGift(ctx, w.reader, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "k"})
		wantCode(t, "the reader gifting their own stream", err, apperr.Forbidden)
		_, _, err = w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: 999999, Quantity: 1, IdempotencyKey: "k"})
		wantCode(t, "no such gift", err, apperr.NotFound)
		_, _, err = w.live.SendGift(ctx, w.client, st.ID, live.SendInput{Quantity: 100, IdempotencyKey: " k"})
		if e := apperr.As(err); e == nil || len(e.Fields) != 3 {
			t.Errorf("bad gift: %v, want gift_id, quantity and idempotency_key named", err)
		}
		if _, err := w.live.End(ctx, w.reader, st.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "late"})
		wantCode(t, "a gift to an ended stream", err, apperr.Conflict)
		if n := w.count(t, `SELECT count(*) FROM stream_gifts`); n != 0 {
			t.Errorf("%d gifts stored, want none", n)
		}
		if got := w.balance(t, ledger.Wallet(w.pauper.ID)); got != 150 {
			t.Errorf("wallet %d, want 150", got)
		}
	})
}

// LIV-6, LIV-9, AGO-4: every viewer of the stream's topic receives each
// gift with its sender, the gift, the quantity and the amounts once it
// has been paid; the sender sees the split; the top gifters are the ten
// who gave the most, most first.
func TestGiftEventsAndTopGifters_LIV6_LIV9(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.public(t)
		sub := w.listen(t, st.ID)
		gifts, _ := w.live.Gifts(ctx, false)
		sent, _, err := w.live.SendGift(ctx, w.client, st.ID, live.SendInput{GiftID: gifts[2].ID, Quantity: 1, IdempotencyKey: "a"})
		if err != nil {
			t.Fatal(err)
		}
		if sent.ReaderName != "Luna" || sent.ReaderCents != gifts[2].PriceCents*70/100 || sent.SenderName != "Cleo" {
			t.Errorf("sent = %+v", sent)
		}
		var ev live.Sent
		if err := json.Unmarshal(next(t, sub, "stream.gift").Data, &ev); err != nil || ev.ID != sent.ID || ev.SenderName != "Cleo" ||
			ev.GiftName != gifts[2].Name || ev.Animation != gifts[2].Animation || ev.Quantity != 1 || ev.AmountCents != gifts[2].PriceCents {
			t.Fatalf("stream.gift = %+v (%v)", ev, err)
		}
		givers := make([]account.User, 12)
		for i := range givers {
			givers[i] = w.user(t, fmt.Sprintf("Giver %d", i), account.RoleClient)
			w.fund(t, givers[i], 10_000)
			if _, _, err := w.live.SendGift(ctx, givers[i], st.ID, live.SendInput{GiftID: gifts[0].ID, Quantity: i + 1, IdempotencyKey: "k"}); err != nil {
				t.Fatal(err)
			}
		}
		top, err := w.live.TopGifters(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(top) != 10 || top[0].UserID != givers[11].ID || top[0].AmountCents != 12*gifts[0].PriceCents || top[0].Gifts != 12 {
			t.Fatalf("top gifters = %+v", top)
		}
		for i := 1; i < len(top); i++ {
			if top[i].AmountCents > top[i-1].AmountCents {
				t.Fatalf("top gifters out of order: %+v", top)
			}
		}
		if _, err := w.live.TopGifters(ctx, 999999); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("top gifters of no stream: %v", err)
		}
	})
}

// LIV-3, LIV-5, LIV-8, ACC-6: gifts arriving at one premium stream at the
// same moment are each checked for their own sender inside the shared
// transaction: of 40 senders at once, those with a ticket and those
// subscribed send theirs, while those with neither are refused with the
// price (402), the banned and those in a block with the reader are
// refused (403), and the reader's own gift is refused; none of the
// refused pays or leaves a gift. Once the stream has ended a retry of a
// gift sent answers that gift, and a new one is refused.
func TestGiftAccessInOneBatch_LIV5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		st := w.start(t, live.StartInput{Title: "Eclipse special", Visibility: "premium", TicketPriceCents: 500})
		if err := w.live.SetSubscriptionPrice(ctx, w.reader, 999); err != nil {
			t.Fatal(err)
		}
		gift := w.firstGift(t)
		kinds := []string{"ticket", "subscribed", "neither", "banned", "blocked"}
		type sender struct {
			u    account.User
			kind string
		}
		senders := make([]sender, 40)
		for i := range senders {
			u := w.user(t, fmt.Sprintf("Sender %d", i), account.RoleClient)
			w.fund(t, u, 10_000)
			senders[i] = sender{u: u, kind: kinds[i%len(kinds)]}
			switch senders[i].kind {
			case "ticket":
				if _, _, err := w.live.BuyTicket(ctx, u, st.ID); err != nil {
					t.Fatal(err)
				}
			case "subscribed":
				if _, _, err := w.live.Subscribe(ctx, u, w.reader.ID); err != nil {
					t.Fatal(err)
				}
			case "banned":
				if err := w.live.Moderate(ctx, w.reader, st.ID, live.ModerationInput{Action: live.ActBan, UserID: u.ID}); err != nil {
					t.Fatal(err)
				}
			case "blocked":
				if _, err := w.s.App.Blocks.Block(ctx, w.reader, u.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		before := make([]int64, len(senders))
		for i, s := range senders {
			before[i] = w.balance(t, ledger.Wallet(s.u.ID))
		}
		errs := make([]error, len(senders)+1)
		var wg sync.WaitGroup
		for i, s := range senders {
			wg.Go(func() {
				_, _, errs[i] = w.live.SendGift(ctx, s.u, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "tap"})
			})
		}
		wg.Go(func() {
			_, _, errs[len(senders)] = w.live.SendGift(ctx, w.reader, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "own"})
		})
		wg.Wait()
		want := map[string]apperr.Code{"neither": apperr.PaymentRequired, "banned": apperr.Forbidden, "blocked": apperr.Forbidden}
		sent := 0
		for i, s := range senders {
			spent := before[i] - w.balance(t, ledger.Wallet(s.u.ID))
			if code, refused := want[s.kind]; refused {
				wantCode(t, fmt.Sprintf("sender %d (%s)", i, s.kind), errs[i], code)
				if spent != 0 {
					t.Errorf("refused sender %d (%s) paid %d", i, s.kind, spent)
				}
				continue
			}
			if errs[i] != nil || spent != gift.PriceCents {
				t.Errorf("sender %d (%s): %v, paid %d, want the gift's %d", i, s.kind, errs[i], spent, gift.PriceCents)
			}
			sent++
		}
		wantCode(t, "the reader's own gift", errs[len(senders)], apperr.Forbidden)
		if n := w.count(t, `SELECT count(*) FROM stream_gifts WHERE stream_id = $1`, st.ID); sent != 16 || n != sent {
			t.Errorf("%d gifts stored, %d senders admitted, want 16 of each", n, sent)
		}

		first := senders[0]
		if _, err := w.live.End(ctx, w.reader, st.ID); err != nil {
			t.Fatal(err)
		}
		g, replayed, err := w.live.SendGift(ctx, first.u, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "tap"})
		if err != nil || !replayed || g.ID == 0 {
			t.Errorf("a retry after the end: %+v replayed %v: %v, want the gift sent", g, replayed, err)
		}
		_, _, err = w.live.SendGift(ctx, first.u, st.ID, live.SendInput{GiftID: gift.ID, Quantity: 1, IdempotencyKey: "after"})
		wantCode(t, "a new gift after the end", err, apperr.Conflict)
		w.verify(t)
	})
}
