package web

import (
	"fmt"

	"github.com/soulseer/soulseer/internal/shop"
)

// lowStock is the stock at and below which a product says how many are
// left.
const lowStock = 5

// shopItem is a product as pages show it, with what is left in words
// (SHOP-3).
type shopItem struct{ shop.Product }

// StockText says what is left: "Sold out", "Only 3 left", "In stock", or
// "Available" for a product sold without counting.
func (p shopItem) StockText() string {
	switch {
	case p.Stock == nil:
		return "Available"
	case *p.Stock == 0:
		return "Sold out"
	case *p.Stock <= lowStock:
		return fmt.Sprintf("Only %d left", *p.Stock)
	}
	return "In stock"
}

// StockLevel is the stock's class: "out", "low" or "ok".
func (p shopItem) StockLevel() string {
	switch {
	case p.SoldOut():
		return "out"
	case p.Stock != nil && *p.Stock <= lowStock:
		return "low"
	}
	return "ok"
}

// StockCount is the stock as a number, "unlimited" when not counted.
func (p shopItem) StockCount() string {
	if p.Stock == nil {
		return "unlimited"
	}
	return fmt.Sprint(*p.Stock)
}

// shopItems are ps as pages show them.
func shopItems(ps []shop.Product) []shopItem {
	out := make([]shopItem, len(ps))
	for i, p := range ps {
		out[i] = shopItem{p}
	}
	return out
}

// orderLine is one item of an order with what it came to.
type orderLine struct {
	shop.Item
	Cents int64
}

// orderLines are o's items with their totals.
func orderLines(o shop.Order) []orderLine {
	out := make([]orderLine, len(o.Items))
	for i, it := range o.Items {
		out[i] = orderLine{Item: it, Cents: it.UnitCents * int64(it.Quantity)}
	}
	return out
}
