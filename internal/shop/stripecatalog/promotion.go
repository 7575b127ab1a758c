package stripecatalog

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/stripe/stripe-go/v85"
)

// maxCodeLen is the shop's limit on a promotion code's length.
const maxCodeLen = 64

// Promotion is a shop discount a customer redeems by typing Code at
// checkout. It takes either PercentOff (1–100) or AmountOffCents (above
// zero, in Currency), never both. MaxRedemptions 0 means unlimited, a zero
// ExpiresAt never expires, and MinimumCents > 0 (in Currency) is the
// smallest order total the code applies to. The discount applies once, to
// the order it is redeemed on.
type Promotion struct {
	Code           string
	PercentOff     int64
	AmountOffCents int64
	Currency       string
	MaxRedemptions int64
	ExpiresAt      time.Time
	MinimumCents   int64
}

// validate returns an apperr Invalid error naming each bad field, or nil.
// The code is 1–64 letters, digits or dashes (Stripe accepts no others).
func (p Promotion) validate() error {
	fields := map[string]string{}
	switch {
	case p.Code == "":
		fields["code"] = "Enter a code."
	case len(p.Code) > maxCodeLen:
		fields["code"] = fmt.Sprintf("Use at most %d characters.", maxCodeLen)
	case strings.ContainsFunc(p.Code, func(r rune) bool { return !codeRune(r) }):
		fields["code"] = "Use only letters, digits and dashes."
	}
	switch {
	case p.PercentOff != 0 && p.AmountOffCents != 0:
		fields["percent_off"] = "Give a percentage or an amount off, not both."
	case p.PercentOff == 0 && p.AmountOffCents == 0:
		fields["percent_off"] = "Give a percentage or an amount off."
	case p.PercentOff < 0 || p.PercentOff > 100:
		fields["percent_off"] = "Use a percentage from 1 to 100."
	case p.AmountOffCents < 0:
		fields["amount_off_cents"] = "Use an amount above zero."
	}
	if p.MaxRedemptions < 0 {
		fields["max_redemptions"] = "Use 0 for unlimited or a number above zero."
	}
	if p.MinimumCents < 0 {
		fields["minimum_cents"] = "Use 0 for no minimum or an amount above zero."
	}
	if (p.AmountOffCents > 0 || p.MinimumCents > 0) && !validCurrency(p.Currency) {
		fields["currency"] = "Give a three-letter currency code such as usd."
	}
	return apperr.Validation(fields)
}

// codeRune reports whether r may appear in a promotion code.
func codeRune(r rune) bool {
	return r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// validCurrency reports whether c is a three-letter ISO currency code.
func validCurrency(c string) bool {
	return len(c) == 3 && !strings.ContainsFunc(c, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') })
}

// stripeFields maps the Stripe parameters a promotion sets to Promotion's
// field names, so Stripe's refusals reach the form field they concern.
var stripeFields = map[string]string{
	"code":                         "code",
	"percent_off":                  "percent_off",
	"amount_off":                   "amount_off_cents",
	"currency":                     "currency",
	"max_redemptions":              "max_redemptions",
	"expires_at":                   "expires_at",
	"restrictions[minimum_amount]": "minimum_cents",
}

// CreatePromotion creates a Stripe coupon for p and the promotion code
// p.Code that redeems it, returning both ids. Invalid input is an apperr
// Invalid error naming the fields, and nothing is sent. Both requests carry idempotency keys derived from the code (case-folded, as
// Stripe compares codes), so retrying a failed or interrupted call within
// Stripe's 24-hour idempotency window creates neither object twice.
func (c *Client) CreatePromotion(ctx context.Context, p Promotion) (couponID, promotionCodeID string, err error) {
	if err := p.validate(); err != nil {
		return "", "", err
	}
	key := strings.ToUpper(p.Code)
	cp := &stripe.CouponCreateParams{
		Duration: stripe.String(string(stripe.CouponDurationOnce)),
		Name:     stripe.String(p.Code),
		Metadata: map[string]string{"soulseer_code": p.Code},
	}
	if p.PercentOff != 0 {
		cp.PercentOff = stripe.Float64(float64(p.PercentOff))
	} else {
		cp.AmountOff = stripe.Int64(p.AmountOffCents)
		cp.Currency = stripe.String(strings.ToLower(p.Currency))
	}
	cp.SetIdempotencyKey("soulseer-coupon-" + key)
	coupon, err := c.api.V1Coupons.Create(ctx, cp)
	if err != nil {
		return "", "", refusal("coupon", err)
	}
	pp := &stripe.PromotionCodeCreateParams{
		Code:      stripe.String(p.Code),
		Promotion: &stripe.PromotionCodeCreatePromotionParams{Type: stripe.String("coupon"), Coupon: stripe.String(coupon.ID)},
		Metadata:  map[string]string{"soulseer_code": p.Code},
	}
	if p.MaxRedemptions > 0 {
		pp.MaxRedemptions = stripe.Int64(p.MaxRedemptions)
	}
	if !p.ExpiresAt.IsZero() {
		pp.ExpiresAt = stripe.Int64(p.ExpiresAt.Unix())
	}
	if p.MinimumCents > 0 {
		pp.Restrictions = &stripe.PromotionCodeCreateRestrictionsParams{
			MinimumAmount:         stripe.Int64(p.MinimumCents),
			MinimumAmountCurrency: stripe.String(strings.ToLower(p.Currency)),
		}
	}
	pp.SetIdempotencyKey("soulseer-promotion-code-" + key)
	code, err := c.api.V1PromotionCodes.Create(ctx, pp)
	if err != nil {
		return "", "", refusal("promotion code", err)
	}
	return coupon.ID, code.ID, nil
}

// refusal turns Stripe's refusal of a promotion into an apperr error: a
// reused code with other terms is a Conflict, a refused parameter an
// Invalid error on its field, any other bad request Unprocessable. Network
// and Stripe-side failures stay as they are.
func refusal(what string, err error) error {
	var se *stripe.Error
	if !errors.As(err, &se) || se.HTTPStatusCode < 400 || se.HTTPStatusCode >= 500 || se.HTTPStatusCode == http.StatusTooManyRequests {
		return fmt.Errorf("stripecatalog: create %s: %w", what, err)
	}
	var ae error
	switch field, ok := stripeFields[se.Param]; {
	case se.Type == stripe.ErrorTypeIdempotency:
		ae = apperr.Errorf(apperr.Conflict, "A promotion with this code was just created with other terms.")
	case ok:
		ae = apperr.Validation(map[string]string{field: se.Msg})
	default:
		ae = apperr.Errorf(apperr.Unprocessable, "Stripe refused the %s: %s", what, se.Msg)
	}
	return fmt.Errorf("stripecatalog: create %s: %w: %w", what, ae, err)
}
