package config_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.DatabaseURL != "" || c.AuthRateLimit != 5 || c.AuthRateWindow != 5*time.Minute {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if len(c.TrustedProxies) != 0 {
		t.Fatal("no proxy is trusted by default")
	}
}

func TestEnvAndFlags(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"SOULSEER_ADDR":            ":9000",
		"SOULSEER_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7/32",
		"DATABASE_URL":             "postgres://x@y/z",
	}), []string{"-addr", "127.0.0.1:7000"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" {
		t.Fatalf("flag must win over env, got %q", c.Addr)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[0].String() != "10.0.0.0/8" {
		t.Fatalf("proxies = %v", c.TrustedProxies)
	}
	if c.DatabaseURL != "postgres://x@y/z" {
		t.Fatal("DATABASE_URL not read")
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	for name, val := range map[string]string{
		"SOULSEER_TRUSTED_PROXIES": "not-a-cidr",
		"SOULSEER_AUTH_RATE_LIMIT": "five",
		"SOULSEER_BASE_URL":        "localhost",
		"SOULSEER_LOG_LEVEL":       "loud",
		"SOULSEER_SMTP_URL":        "http://x",
		"SOULSEER_SENTRY_DSN":      "key@sentry.example/1",
	} {
		_, err := config.Load(env(map[string]string{name: val}), nil)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: err = %v, want an error naming the variable", name, val, err)
		}
	}
}

// The README's configuration table lists every variable the config reads.
func TestREADMEListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range config.Vars() {
		if !strings.Contains(string(readme), "`"+v.Name+"`") {
			t.Errorf("README.md does not document %s", v.Name)
		}
	}
}
