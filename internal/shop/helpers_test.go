package shop_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/shop"
)

var ctx = context.Background()

// t0 is when every world's clock starts.
var t0 = time.Date(2027, 6, 7, 10, 0, 0, 0, time.UTC)

// world is an app on a fake clock with an admin and a client, Cleo, with
// $100 in her wallet.
type world struct {
	s      *apptest.Server
	clk    *clock.Fake
	shop   *shop.Service
	admin  account.User
	client account.User
	n      int
}

func eachWorld(t *testing.T, f func(t *testing.T, w *world)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(t0)
			s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithManualSweeps())
			w := &world{s: s, clk: clk, shop: s.App.Shop}
			w.admin = s.CreateUser("admin@example.com", account.RoleAdmin)
			w.client = w.user(t, "Cleo")
			w.fund(t, w.client, 100_00)
			f(t, w)
		})
	}
}

// user makes a client quickly, without a password.
func (w *world) user(t *testing.T, name string) account.User {
	t.Helper()
	w.n++
	u := account.User{DisplayName: name, Role: account.RoleClient, Email: fmt.Sprintf("user%d@example.com", w.n)}
	now := db.Millis(w.clk.Now())
	if err := w.s.App.DB.Writer.QueryRowContext(ctx, `INSERT INTO users (email, display_name, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
		u.Email, name, u.Role, now).Scan(&u.ID); err != nil {
		t.Fatal(err)
	}
	return u
}

// fund credits u's wallet with cents.
func (w *world) fund(t *testing.T, u account.User, cents int64) {
	t.Helper()
	w.n++
	if _, err := w.s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: fmt.Sprintf("test-fund:%d:%d", u.ID, w.n), Type: ledger.TypeAdjustment,
		Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -cents}, {Account: ledger.Wallet(u.ID), Amount: cents}}}); err != nil {
		t.Fatal(err)
	}
}

func (w *world) wallet(t *testing.T, u account.User) int64 {
	t.Helper()
	b, err := w.s.App.Ledger.Balance(ctx, w.s.App.DB.Read(), ledger.Wallet(u.ID))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// product creates a product kept here; stock < 0 means unlimited. A
// digital one gets a file.
func (w *world) product(t *testing.T, name, kind string, price, stock int64) shop.Product {
	t.Helper()
	in := shop.ProductInput{Name: &name, Kind: &kind, PriceCents: &price, Unlimited: stock < 0}
	if stock >= 0 {
		in.Stock = &stock
	}
	p, err := w.shop.CreateProduct(ctx, w.admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if kind == shop.Digital {
		if p, err = w.shop.SetProductFile(ctx, w.admin, p.ID, "guide.pdf", []byte("%PDF-1.4 the guide "+name)); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func (w *world) stock(t *testing.T, id int64) int64 {
	t.Helper()
	p, err := w.shop.Product(ctx, id, true)
	if err != nil || p.Stock == nil {
		t.Fatalf("stock of %d: %+v %v", id, p, err)
	}
	return *p.Stock
}

func (w *world) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.s.App.DB.Read().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// verify fails t unless the ledger is consistent.
func (w *world) verify(t *testing.T) {
	t.Helper()
	rep, err := ledger.Verify(ctx, w.s.App.DB)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("ledger verify: %v %v", err, rep.Problems)
	}
}

var home = &shop.Address{Name: "Cleo Marsh", Line1: "1 Moon Street", City: "Salem", Region: "MA", PostalCode: "01970", Country: "us"}

// buy places an order of one product from the wallet.
func (w *world) buy(t *testing.T, u account.User, p shop.Product, qty int, coupon string) (shop.Order, error) {
	t.Helper()
	req := shop.OrderRequest{Items: []shop.Line{{ProductID: p.ID, Quantity: qty}}, PayWith: shop.PayWallet, CouponCode: coupon}
	if p.Kind == shop.Physical {
		req.Shipping = home
	}
	o, _, err := w.shop.PlaceOrder(ctx, u, req)
	return o, err
}

func itoa(n int64) string { return fmt.Sprint(n) }
