package config_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/config"
)

// canonical writes back, for each variable whose value is parsed rather than
// taken as is, what Load made of it, or says why that breaks the variable's
// rule.
var canonical = map[string]func(c config.Config) (string, error){
	"SOULSEER_SESSION_TTL":             durationBack(func(c config.Config) time.Duration { return c.SessionTTL }),
	"SOULSEER_BILLING_PERIOD":          durationBack(func(c config.Config) time.Duration { return c.BillingPeriod }),
	"SOULSEER_READING_REQUEST_TIMEOUT": durationBack(func(c config.Config) time.Duration { return c.RequestTimeout }),
	"SOULSEER_READING_GRACE":           durationBack(func(c config.Config) time.Duration { return c.ReadingGrace }),
	"SOULSEER_PRESENCE_TIMEOUT":        durationBack(func(c config.Config) time.Duration { return c.PresenceTimeout }),
	"SOULSEER_AUTH_RATE_LIMIT":         rateBack(func(c config.Config) (int, time.Duration) { return c.AuthRateLimit, c.AuthRateWindow }, 1),
	"SOULSEER_MESSAGE_RATE_LIMIT":      rateBack(func(c config.Config) (int, time.Duration) { return c.MessageRateLimit, c.MessageRateWindow }, 1),
	"SOULSEER_RECONNECT_LIMIT":         rateBack(func(c config.Config) (int, time.Duration) { return c.ReconnectLimit, c.ReconnectWindow }, 0),
	"SOULSEER_TRUSTED_PROXIES": func(c config.Config) (string, error) {
		var out []string
		for _, p := range c.TrustedProxies {
			if !p.IsValid() || p != p.Masked() {
				return "", fmt.Errorf("prefix %v is not a valid masked CIDR", p)
			}
			out = append(out, p.String())
		}
		return strings.Join(out, ","), nil
	},
	"SOULSEER_DB_MAX_CONNS": func(c config.Config) (string, error) {
		if c.DBMaxConns < 1 || c.DBMaxConns > 1000 {
			return "", fmt.Errorf("pool size %d out of range", c.DBMaxConns)
		}
		return fmt.Sprint(c.DBMaxConns), nil
	},
	"SOULSEER_PLATFORM_SHARE_PERCENT": func(c config.Config) (string, error) {
		if c.PlatformSharePct < 0 || c.PlatformSharePct > 100 {
			return "", fmt.Errorf("share %d out of range", c.PlatformSharePct)
		}
		return fmt.Sprint(c.PlatformSharePct), nil
	},
}

func durationBack(field func(config.Config) time.Duration) func(config.Config) (string, error) {
	return func(c config.Config) (string, error) {
		if d := field(c); d <= 0 {
			return "", fmt.Errorf("duration %v is not positive", d)
		}
		return field(c).String(), nil
	}
}

func rateBack(fields func(config.Config) (int, time.Duration), minCount int) func(config.Config) (string, error) {
	return func(c config.Config) (string, error) {
		n, w := fields(c)
		if n < minCount || w <= 0 {
			return "", fmt.Errorf("limit %d/%v breaks the rule", n, w)
		}
		return fmt.Sprintf("%d/%v", n, w), nil
	}
}

// FuzzVars sets one variable to an arbitrary value: Load either refuses it
// with an error naming the variable, or accepts it, and then the parsed
// value keeps its variable's rule (positive durations, counts in range,
// masked CIDRs) and, written back, loads as the same configuration.
func FuzzVars(f *testing.F) {
	names := make([]string, 0, len(config.Vars()))
	for _, v := range config.Vars() {
		names = append(names, v.Name)
	}
	for i := range names {
		for _, val := range []string{"5/10m", "0/1s", "-1/5m", "5/0s", "3/-1h", "90s", "0s", "-5m", "1h30m", "9223372036854775807ns", "10.0.0.0/8, 192.168.1.7/32",
			"::1/128,", "10.0.0.1/8", "1.2.3.4/33", "fe80::1%eth0/64", "20", "0", "1001", "https://soulseer.example", "loud", "test", " 7 "} {
			f.Add(uint8(i), val)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, val string) {
		name := names[int(which)%len(names)]
		if val == "" || strings.ContainsRune(val, 0) {
			return // an empty variable means its default
		}
		c, err := config.Load(env(map[string]string{name: val}), nil)
		if err != nil {
			if !strings.Contains(err.Error(), name) && !strings.Contains(err.Error(), "SOULSEER_") {
				t.Fatalf("%s=%q: error %q names no variable", name, val, err)
			}
			return
		}
		back, ok := canonical[name]
		if !ok {
			return
		}
		s, err := back(c)
		if err != nil {
			t.Fatalf("%s=%q accepted, but %v", name, val, err)
		}
		if s == "" {
			return // e.g. an empty CIDR list, the default
		}
		again, err := config.Load(env(map[string]string{name: s}), nil)
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("%s=%q loads as %q, which loads differently (%v)", name, val, s, err)
		}
	})
}
