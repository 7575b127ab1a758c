package config_test

import (
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/config"
)

// WAL-13: the built-in test checkout runs on a local site or when
// SOULSEER_PAYMENTS=test says so; a public site without Stripe keys, or a
// Stripe key without the webhook secret, refuses to start with a message
// naming the variable to set.
func TestPaymentsMode_WAL13(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		test bool   // test mode
		err  string // "" when it starts; else a variable the error names
	}{
		{"default localhost", nil, true, ""},
		{"loopback address", map[string]string{"SOULSEER_BASE_URL": "http://127.0.0.1:9000"}, true, ""},
		{"ipv6 loopback", map[string]string{"SOULSEER_BASE_URL": "http://[::1]:8080"}, true, ""},
		{"dev subdomain", map[string]string{"SOULSEER_BASE_URL": "http://soulseer.localhost:8080"}, true, ""},
		{"public https", map[string]string{"SOULSEER_BASE_URL": "https://soulseer.example"}, false, "SOULSEER_STRIPE_SECRET_KEY"},
		{"public http", map[string]string{"SOULSEER_BASE_URL": "http://203.0.113.5"}, false, "SOULSEER_PAYMENTS=test"},
		{"look-alike host", map[string]string{"SOULSEER_BASE_URL": "https://localhost.example.com"}, false, "SOULSEER_STRIPE_SECRET_KEY"},
		{"public test site", map[string]string{"SOULSEER_BASE_URL": "https://demo.soulseer.example", "SOULSEER_PAYMENTS": "test"}, true, ""},
		{"stripe", map[string]string{"SOULSEER_BASE_URL": "https://soulseer.example", "SOULSEER_STRIPE_SECRET_KEY": "sk_live_x",
			"SOULSEER_STRIPE_WEBHOOK_SECRET": "whsec_x"}, false, ""},
		{"key without webhook secret", map[string]string{"SOULSEER_STRIPE_SECRET_KEY": "sk_test_x"}, false, "SOULSEER_STRIPE_WEBHOOK_SECRET"},
		{"test mode with a key", map[string]string{"SOULSEER_STRIPE_SECRET_KEY": "sk_test_x", "SOULSEER_STRIPE_WEBHOOK_SECRET": "whsec_x",
			"SOULSEER_PAYMENTS": "test"}, false, "SOULSEER_PAYMENTS"},
		{"unknown mode", map[string]string{"SOULSEER_PAYMENTS": "free"}, false, "SOULSEER_PAYMENTS"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Load(env(c.env), nil)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one naming %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.TestPayments() != c.test {
				t.Fatalf("test mode = %v, want %v", cfg.TestPayments(), c.test)
			}
		})
	}
}
