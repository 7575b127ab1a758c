package web_test

import (
	"strconv"
	"testing"
)

// giftFormOfCatalog is {gift}, the catalog's first gift, and its fields as
// the admin's gift page writes them — {giftname}, {giftprice} (dollars),
// {giftanim}, {giftorder} — so saving them leaves the catalog as it was.
func giftFormOfCatalog(t *testing.T, m *authzWorld) {
	t.Helper()
	gifts, err := m.s.App.Live.Gifts(ctx, false)
	if err != nil || len(gifts) == 0 {
		t.Fatalf("gifts: %v %v", gifts, err)
	}
	g := gifts[0]
	m.vals["gift"], m.vals["giftname"], m.vals["giftanim"] = id(g.ID), g.Name, g.Animation
	m.vals["giftprice"] = strconv.FormatFloat(float64(g.PriceCents)/100, 'f', 2, 64)
	m.vals["giftorder"] = strconv.Itoa(g.SortOrder)
}
