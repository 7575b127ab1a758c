package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// PaymentsTest is the SOULSEER_PAYMENTS value that turns the built-in test
// checkout on for any base URL.
const PaymentsTest = "test"

// TestPayments reports whether the built-in test checkout stands in for
// Stripe (WAL-10): whenever no Stripe secret key is configured.
func (c Config) TestPayments() bool { return c.StripeSecretKey == "" }

// CheckPayments enforces WAL-13: the test checkout lets anyone add money to
// their own wallet, so it runs only on a local site (localhost, a loopback
// address) or when SOULSEER_PAYMENTS=test says so; and a Stripe secret key
// needs the webhook's signing secret, without which every real webhook
// would be refused. The server refuses to start otherwise.
func (c Config) CheckPayments() error {
	switch {
	case c.StripeSecretKey != "" && c.Payments == PaymentsTest:
		return fmt.Errorf("config: SOULSEER_PAYMENTS=test and SOULSEER_STRIPE_SECRET_KEY are both set: unset one (test mode uses no Stripe key)")
	case c.StripeSecretKey != "" && c.StripeWebhookSecret == "":
		return fmt.Errorf("config: SOULSEER_STRIPE_WEBHOOK_SECRET is not set: with SOULSEER_STRIPE_SECRET_KEY every Stripe webhook would be refused. "+
			"Set it to the signing secret (whsec_…) of the webhook endpoint %s/stripe/webhook/ in the Stripe dashboard", c.BaseURL)
	case c.TestPayments() && c.Payments != PaymentsTest && !c.LocalSite():
		return fmt.Errorf("config: SOULSEER_BASE_URL %s is not a local address and SOULSEER_STRIPE_SECRET_KEY is not set: "+
			"the built-in test checkout would let anyone add money to their wallet. Set SOULSEER_STRIPE_SECRET_KEY and "+
			"SOULSEER_STRIPE_WEBHOOK_SECRET, or SOULSEER_PAYMENTS=test for a public test site", c.BaseURL)
	}
	return nil
}

// LocalSite reports whether the base URL names this machine only
// (localhost, *.localhost or a loopback address), so no one else can reach
// the site through it.
func (c Config) LocalSite() bool {
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
