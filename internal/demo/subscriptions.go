package demo

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/payment"
)

// subscriptionPrices are the monthly subscriptions of the demo's readers
// who offer one, by email (LIV-3).
var subscriptionPrices = map[string]int64{
	readers[0].email: 9_99, // Luna, whom the demo client subscribes to
	readers[1].email: 7_99, // Orion, whose profile offers a subscription to take
}

// seedSubscriptions has Luna and Orion offer monthly subscriptions and
// subscribes the demo client to Luna, paid like any other with demo money
// credited for it first; loading again neither charges nor subscribes
// anew, even after that subscription ended, and leaves a price a reader
// set alone.
func seedSubscriptions(ctx context.Context, a *app.App, admin, client account.User) error {
	for email, cents := range subscriptionPrices {
		r, err := a.Accounts.GetByEmail(ctx, email)
		if err != nil {
			return err
		}
		if o, err := a.Live.SubscriptionOffer(ctx, account.User{}, r.ID); err != nil || o.PriceCents != 0 {
			if err != nil {
				return err
			}
			continue // a price of the reader's own choosing stays
		}
		if err := a.Live.SetSubscriptionPrice(ctx, r, cents); err != nil {
			return fmt.Errorf("demo: %s's subscription price: %w", email, err)
		}
	}
	luna, err := a.Accounts.GetByEmail(ctx, readers[0].email)
	if err != nil {
		return err
	}
	offer, err := a.Live.SubscriptionOffer(ctx, client, luna.ID)
	if err != nil || offer.Subscription != nil {
		return err
	}
	if _, err := a.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: client.ID, AmountCents: offer.PriceCents,
		Reason: "Demo money for a subscription", Key: "demo-subscription-luna"}); err != nil {
		return err
	}
	if _, _, err := a.Live.Subscribe(ctx, client, luna.ID); err != nil {
		return fmt.Errorf("demo: the client's subscription to Luna: %w", err)
	}
	return nil
}
