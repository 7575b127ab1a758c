package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/payment"
)

// The demo's streams (LIV-1, LIV-3): Orion's past one, Selene's public
// one and Rosa's premium one, live.
const (
	pastStreamTitle    = "Messages from the other side"
	liveStreamTitle    = "Transits this week: ask me live"
	premiumStreamTitle = "Full moon love spread: your questions, answered in order"
	// premiumTicketCents is the price of a ticket to Rosa's stream.
	premiumTicketCents = 5_00
)

// seedStreams gives the demo livestreams, each unless it is there already:
// a stream Orion held two days ago, for an hour, to which the demo client
// sent two gifts (paid like any other, with demo money credited for them
// first), listed on his profile; and a public stream Selene is live with
// now, beside a premium one of Mystic Rosa's, whose ticket the demo client
// has not bought, so her stream's page offers it. Selene and Rosa are automated personas, online while the site
// runs, and the persona worker keeps them seen as a reader's open page
// would, so their streams stay live as they stay online — and end by
// themselves, as any stream whose reader is gone, when the site stops
// running them. The demo client moderates Selene's streams (LIV-8), so
// her stream's page shows them the moderation tools.
func seedStreams(ctx context.Context, a *app.App, admin, client account.User) error {
	orion, err := a.Accounts.GetByEmail(ctx, readers[1].email)
	if err != nil {
		return err
	}
	past, err := a.Live.PastStreams(ctx, admin, orion.ID)
	if err != nil {
		return err
	}
	if len(past) == 0 {
		if err := pastStream(ctx, a, admin, client, orion); err != nil {
			return fmt.Errorf("demo: Orion's past stream: %w", err)
		}
	}
	selene, err := a.Accounts.GetByEmail(ctx, readers[2].email)
	if err != nil {
		return err
	}
	if _, err := a.Live.AppointModerator(ctx, selene, client.ID); err != nil {
		return fmt.Errorf("demo: Selene's moderator: %w", err)
	}
	if err := goLive(ctx, a, selene, live.StartInput{Title: liveStreamTitle, Visibility: string(live.Public)}); err != nil {
		return fmt.Errorf("demo: Selene's stream: %w", err)
	}
	rosa, err := a.Accounts.GetByEmail(ctx, readers[4].email)
	if err != nil {
		return err
	}
	if err := goLive(ctx, a, rosa, live.StartInput{Title: premiumStreamTitle, Visibility: string(live.Premium),
		TicketPriceCents: premiumTicketCents}); err != nil {
		return fmt.Errorf("demo: Rosa's stream: %w", err)
	}
	return nil
}

// goLive starts reader's stream with in unless the reader is live already.
func goLive(ctx context.Context, a *app.App, reader account.User, in live.StartInput) error {
	if _, ok, err := a.Live.Current(ctx, reader); err != nil || ok {
		return err
	}
	_, err := a.Live.Start(ctx, reader, in)
	return err
}

// pastStream holds reader's public stream two days ago, on a clock set
// there, with two gifts from client, and ends it an hour later.
func pastStream(ctx context.Context, a *app.App, admin, client, reader account.User) error {
	clk := clock.NewFake(a.Clock.Now().Add(-48 * time.Hour))
	l := a.Live
	then := &live.Service{DB: l.DB, Clock: clk, Ledger: l.Ledger, Hub: l.Hub, Limiter: l.Limiter, Agora: l.Agora, Notify: l.Notify, Log: l.Log, Config: l.Config}
	st, err := then.Start(ctx, reader, live.StartInput{Title: pastStreamTitle, Visibility: string(live.Public)})
	if err != nil {
		return err
	}
	gifts, err := a.Live.Gifts(ctx, false)
	if err != nil {
		return err
	}
	for i, g := range gifts[:min(2, len(gifts))] {
		clk.Advance(10 * time.Minute)
		key := fmt.Sprintf("demo-gift-%d-%d", st.ID, i)
		if _, err := a.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: client.ID, AmountCents: g.PriceCents,
			Reason: "Demo money for a stream gift", Key: key}); err != nil {
			return err
		}
		if _, _, err := then.SendGift(ctx, client, st.ID, live.SendInput{GiftID: g.ID, Quantity: 1, IdempotencyKey: key}); err != nil {
			return err
		}
	}
	clk.Set(st.StartedAt.Add(time.Hour))
	_, err = then.End(ctx, reader, st.ID)
	return err
}
