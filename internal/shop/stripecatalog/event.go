package stripecatalog

import (
	"encoding/json"

	"github.com/stripe/stripe-go/v85"
)

// ProductOfEvent returns the id of the product a product.created|updated|
// deleted or price.created|updated|deleted event concerns: the product
// itself, or a price's product, whether the event carries it as an id or an
// expanded object. Other events, and events without a product, answer ok
// false.
//
// The event's payload is only a pointer: the caller fetches the product
// with Client.Product (ErrGone: archive it) and stores what that returns,
// never the event's copy. Replayed, duplicated and out-of-order events
// therefore all converge on Stripe's current state.
func ProductOfEvent(ev stripe.Event) (productID string, ok bool) {
	if ev.Data == nil {
		return "", false
	}
	switch ev.Type {
	case stripe.EventTypeProductCreated, stripe.EventTypeProductUpdated, stripe.EventTypeProductDeleted:
		var p stripe.Product
		if json.Unmarshal(ev.Data.Raw, &p) != nil || p.ID == "" {
			return "", false
		}
		return p.ID, true
	case stripe.EventTypePriceCreated, stripe.EventTypePriceUpdated, stripe.EventTypePriceDeleted:
		var pr stripe.Price
		if json.Unmarshal(ev.Data.Raw, &pr) != nil || pr.Product == nil || pr.Product.ID == "" {
			return "", false
		}
		return pr.Product.ID, true
	}
	return "", false
}
