package web

import (
	"time"

	"github.com/soulseer/soulseer/internal/shop"
)

// orderStep is one state of an order's timeline.
type orderStep struct {
	State string
	Label string
	At    *time.Time // when the order reached it; nil while it has not
	Now   bool       // the order's state
}

// orderSteps is the timeline of o (SHOP-7): pending → paid → shipped →
// delivered, a digital order paid → delivered; a cancelled or refunded
// order ends with that.
func orderSteps(o shop.Order) []orderStep {
	steps := []orderStep{{State: shop.Pending, Label: "Placed", At: &o.CreatedAt}, {State: shop.Paid, Label: "Paid", At: o.PaidAt}}
	if o.Physical {
		steps = append(steps, orderStep{State: shop.Shipped, Label: "Shipped", At: o.ShippedAt})
	}
	steps = append(steps, orderStep{State: shop.Delivered, Label: "Delivered", At: o.DeliveredAt})
	switch o.State {
	case shop.Cancelled:
		steps = append(steps, orderStep{State: shop.Cancelled, Label: "Cancelled", At: o.ClosedAt})
	case shop.Refunded:
		steps = append(steps, orderStep{State: shop.Refunded, Label: "Refunded", At: o.ClosedAt})
	}
	for i := range steps {
		steps[i].Now = steps[i].State == o.State
	}
	return steps
}
