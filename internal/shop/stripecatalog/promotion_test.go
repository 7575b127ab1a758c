package stripecatalog_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop/stripecatalog"
	"github.com/soulseer/soulseer/internal/stripetest"
)

// assertForm checks that form has want's values and none of forbid's
// fields.
func assertForm(t *testing.T, what string, form url.Values, want map[string]string, forbid ...string) {
	t.Helper()
	for k, v := range want {
		if got := form.Get(k); got != v {
			t.Errorf("%s %s = %q, want %q", what, k, got, v)
		}
	}
	for _, k := range forbid {
		if form.Has(k) {
			t.Errorf("%s sends %s = %q, want none", what, k, form.Get(k))
		}
	}
}

// SHOP-4: a promotion becomes a Stripe coupon applied once and a promotion
// code carrying its limits, each request with a key derived from the code.
func TestCreatePromotionSendsCouponAndCode(t *testing.T) {
	t.Parallel()
	fake := newFakeStripe(t, 10)
	c := stripecatalog.New(secretKey, fake.URL)
	ctx := context.Background()
	expires := time.Date(2027, 1, 31, 23, 59, 0, 0, time.UTC)

	couponID, codeID, err := c.CreatePromotion(ctx, stripecatalog.Promotion{
		Code: "Summer-25", PercentOff: 25, Currency: "USD", MaxRedemptions: 100, ExpiresAt: expires, MinimumCents: 2000,
	})
	if err != nil || couponID != "co_1" || codeID != "promo_1" {
		t.Fatalf("CreatePromotion = %q, %q, %v; want co_1, promo_1", couponID, codeID, err)
	}
	couponID, codeID, err = c.CreatePromotion(ctx, stripecatalog.Promotion{Code: "FIVEOFF", AmountOffCents: 500, Currency: "usd"})
	if err != nil || couponID != "co_2" || codeID != "promo_2" {
		t.Fatalf("CreatePromotion = %q, %q, %v; want co_2, promo_2", couponID, codeID, err)
	}

	coupons := fake.received("POST", "/v1/coupons")
	codes := fake.received("POST", "/v1/promotion_codes")
	if len(coupons) != 2 || len(codes) != 2 {
		t.Fatalf("requests: %d coupons, %d promotion codes; want 2 each", len(coupons), len(codes))
	}
	assertForm(t, "percent coupon", coupons[0].Form, map[string]string{
		"duration": "once", "name": "Summer-25", "metadata[soulseer_code]": "Summer-25",
	}, "amount_off", "currency")
	if pct, err := strconv.ParseFloat(coupons[0].Form.Get("percent_off"), 64); err != nil || pct != 25 {
		t.Errorf("percent coupon percent_off = %q, want 25", coupons[0].Form.Get("percent_off"))
	}
	assertForm(t, "percent code", codes[0].Form, map[string]string{
		"code": "Summer-25", "promotion[type]": "coupon", "promotion[coupon]": "co_1", "max_redemptions": "100",
		"expires_at": strconv.FormatInt(expires.Unix(), 10), "restrictions[minimum_amount]": "2000",
		"restrictions[minimum_amount_currency]": "usd",
	})
	assertForm(t, "amount coupon", coupons[1].Form, map[string]string{
		"duration": "once", "amount_off": "500", "currency": "usd",
	}, "percent_off")
	assertForm(t, "amount code", codes[1].Form, map[string]string{
		"code": "FIVEOFF", "promotion[coupon]": "co_2",
	}, "max_redemptions", "expires_at", "restrictions[minimum_amount]")
	for i, want := range []string{"SUMMER-25", "FIVEOFF"} {
		if coupons[i].IdempotencyKey != "soulseer-coupon-"+want || codes[i].IdempotencyKey != "soulseer-promotion-code-"+want {
			t.Errorf("keys %q, %q; want ones derived from %s", coupons[i].IdempotencyKey, codes[i].IdempotencyKey, want)
		}
	}
}

// SHOP-4: retrying a promotion whose code failed half-way, several times
// at once and in another letter case, creates one coupon and one code.
func TestCreatePromotionRetryCreatesNothingTwice(t *testing.T) {
	t.Parallel()
	fake := newFakeStripe(t, 10)
	fake.failCodes = 1
	c := stripecatalog.New(secretKey, fake.URL)
	ctx := context.Background()
	p := stripecatalog.Promotion{Code: "MOON10", PercentOff: 10}

	if _, _, err := c.CreatePromotion(ctx, p); err == nil || apperr.As(err) != nil {
		t.Fatalf("first attempt: err = %v, want a Stripe failure that is not the user's", err)
	}
	const retries = 6
	var wg sync.WaitGroup
	ids := make([][2]string, retries)
	errs := make([]error, retries)
	for i := range retries {
		wg.Go(func() {
			q := p
			if i%2 == 1 {
				q.Code = strings.ToLower(p.Code)
			}
			ids[i][0], ids[i][1], errs[i] = c.CreatePromotion(ctx, q)
		})
	}
	wg.Wait()
	for i := range retries {
		if errs[i] != nil || ids[i] != [2]string{"co_1", "promo_1"} {
			t.Errorf("retry %d = %v, %v; want co_1, promo_1", i, ids[i], errs[i])
		}
	}
	if n := len(fake.received("POST", "/v1/coupons")); n != retries+1 {
		t.Errorf("coupon requests = %d, want %d", n, retries+1)
	}
	if fake.count("/v1/coupons") != 1 || fake.count("/v1/promotion_codes") != 1 {
		t.Errorf("created %d coupons and %d codes, want 1 each", fake.count("/v1/coupons"), fake.count("/v1/promotion_codes"))
	}
}

// SHOP-4: bad input names each bad field and sends nothing to Stripe.
func TestCreatePromotionRefusesBadInput(t *testing.T) {
	t.Parallel()
	fake := newFakeStripe(t, 10)
	c := stripecatalog.New(secretKey, fake.URL)
	cases := []struct {
		p      stripecatalog.Promotion
		fields []string
	}{
		{stripecatalog.Promotion{PercentOff: 10}, []string{"code"}},
		{stripecatalog.Promotion{Code: "SAVE 10", PercentOff: 10}, []string{"code"}},
		{stripecatalog.Promotion{Code: strings.Repeat("A", 65), PercentOff: 10}, []string{"code"}},
		{stripecatalog.Promotion{Code: "SAVE"}, []string{"percent_off"}},
		{stripecatalog.Promotion{Code: "SAVE", PercentOff: 10, AmountOffCents: 100, Currency: "usd"}, []string{"percent_off"}},
		{stripecatalog.Promotion{Code: "SAVE", PercentOff: 101}, []string{"percent_off"}},
		{stripecatalog.Promotion{Code: "SAVE", PercentOff: -5}, []string{"percent_off"}},
		{stripecatalog.Promotion{Code: "SAVE", AmountOffCents: -100, Currency: "usd"}, []string{"amount_off_cents"}},
		{stripecatalog.Promotion{Code: "SAVE", AmountOffCents: 100}, []string{"currency"}},
		{stripecatalog.Promotion{Code: "SAVE", PercentOff: 10, MinimumCents: 500, Currency: "dollars"}, []string{"currency"}},
		{stripecatalog.Promotion{Code: "SAVE", PercentOff: 10, MaxRedemptions: -1, MinimumCents: -1}, []string{"max_redemptions", "minimum_cents"}},
	}
	for _, tc := range cases {
		_, _, err := c.CreatePromotion(context.Background(), tc.p)
		e := apperr.As(err)
		if e == nil || e.Code != apperr.Invalid {
			t.Errorf("%+v: err = %v, want Invalid", tc.p, err)
			continue
		}
		var got []string
		for k := range e.Fields {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.fields) {
			t.Errorf("%+v: fields %v, want %v", tc.p, e.Fields, tc.fields)
		}
	}
	if n := len(fake.received("POST", "/v1/coupons")) + len(fake.received("POST", "/v1/promotion_codes")); n != 0 {
		t.Errorf("bad input sent %d requests to Stripe", n)
	}
}

// SHOP-4: Stripe's refusals reach the user as what they are: a refused
// parameter on its field, a code reused with other terms as a conflict,
// anything else as unprocessable; none is retried.
func TestCreatePromotionStripeRefusal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		refusal stripeRefusal
		code    apperr.Code
		field   string
	}{
		{stripeRefusal{"invalid_request_error", "code", "An active promotion code with `code: SUMMER` already exists."}, apperr.Invalid, "code"},
		{stripeRefusal{"invalid_request_error", "expires_at", "Expiry must be in the future."}, apperr.Invalid, "expires_at"},
		{stripeRefusal{"idempotency_error", "", "Keys for idempotent requests can only be used with the same parameters they were first used with."}, apperr.Conflict, ""},
		{stripeRefusal{"invalid_request_error", "", "Coupon is not valid."}, apperr.Unprocessable, ""},
	}
	for _, tc := range cases {
		fake := newFakeStripe(t, 10)
		fake.refuseCode = tc.refusal
		_, _, err := stripecatalog.New(secretKey, fake.URL).CreatePromotion(context.Background(), stripecatalog.Promotion{Code: "SUMMER", PercentOff: 10})
		e := apperr.As(err)
		if e == nil || e.Code != tc.code || tc.field != "" && e.Fields[tc.field] != tc.refusal.Msg {
			t.Errorf("%+v: err = %v, want %s on %q", tc.refusal, err, tc.code, tc.field)
		}
		if n := len(fake.received("POST", "/v1/promotion_codes")); n != 1 {
			t.Errorf("%+v: promotion code requests = %d, want 1", tc.refusal, n)
		}
	}
}

// SHOP-4: against stripe-mock, which checks every parameter against the
// Stripe API's schema, both kinds of promotion are accepted.
func TestCreatePromotionAgainstStripeMock(t *testing.T) {
	t.Parallel()
	c := stripecatalog.New(secretKey, stripetest.Start(t))
	for _, p := range []stripecatalog.Promotion{
		{Code: "SUMMER-25", PercentOff: 25, Currency: "usd", MaxRedemptions: 100, ExpiresAt: time.Now().Add(24 * time.Hour), MinimumCents: 2000},
		{Code: "FIVEOFF", AmountOffCents: 500, Currency: "usd"},
	} {
		couponID, codeID, err := c.CreatePromotion(context.Background(), p)
		if err != nil || couponID == "" || codeID == "" {
			t.Errorf("%+v: %q, %q, %v; want both ids", p, couponID, codeID, err)
		}
	}
}
