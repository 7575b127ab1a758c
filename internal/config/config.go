// Package config holds SoulSeer's configuration: one struct, filled from
// environment variables and then from command-line flags, which win.
// The variable names are a contract documented in the README.
package config

import (
	"flag"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is every setting the process reads at start-up.
type Config struct {
	Addr           string
	DataDir        string
	DatabaseURL    string
	DBMaxConns     int
	BaseURL        string
	TrustedProxies []netip.Prefix
	LogLevel       string
	LogFormat      string

	AuthRateLimit  int
	AuthRateWindow time.Duration
	SessionTTL     time.Duration

	MessageRateLimit  int // messages one user may send per MessageRateWindow (SEC-3)
	MessageRateWindow time.Duration

	FlagRateLimit  int // flags one user may raise per FlagRateWindow (SEC-3)
	FlagRateWindow time.Duration
	FlagHideAfter  int // pending flags that hide a forum post or thread until decided (COM-7)

	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	OIDCName         string

	SMTPURL  string
	MailFrom string

	BlobURL     string
	DownloadTTL time.Duration // how long a shop download link works (SHOP-6)

	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIURL        string
	Payments            string // "" (Stripe with a key, test mode on a local site) or "test" (test mode anywhere)
	TopUpMinCents       int64
	TopUpMaxCents       int64
	AutoReloadMaxPerDay int    // reloads of one client's wallet per day at most (WAL-12)
	PayoutMinCents      int64  // the least a reader's payout may be (EXT-3)
	PayoutSchedule      string // how often readers are paid out: daily, weekly or monthly (EXT-3)

	BillingPeriod    time.Duration
	PlatformSharePct int
	RequestTimeout   time.Duration
	ReadingGrace     time.Duration
	PresenceTimeout  time.Duration
	ReconnectLimit   int
	ReconnectWindow  time.Duration

	LateCancelRefundPct int
	CancelNotice        time.Duration

	AgoraAppID       string
	AgoraCertificate string

	MetricsAddr  string
	MetricsToken string

	SentryDSN         string // "": errors are only logged (EXT-5)
	SentryEnvironment string
}

// Var is one environment variable: its name, default, meaning and how it
// sets the config.
type Var struct {
	Name    string
	Flag    string // command-line flag that overrides it, if any
	Default string
	Help    string
	set     func(c *Config, v string) error
}

// Vars is the table of every environment variable SoulSeer reads. The README's
// configuration table lists exactly these.
func Vars() []Var {
	return []Var{
		{"SOULSEER_ADDR", "addr", ":8080", "Address the web server listens on.", func(c *Config, v string) error { c.Addr = v; return nil }},
		{"SOULSEER_DATA_DIR", "data-dir", "./data", "Directory for the SQLite database, uploaded files and generated secrets.", func(c *Config, v string) error { c.DataDir = v; return nil }},
		{"DATABASE_URL", "database-url", "", "Empty: embedded SQLite in the data dir. `postgres://…`: PostgreSQL.", func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
		{"SOULSEER_DB_MAX_CONNS", "", "20", "PostgreSQL connection pool size per instance.", intVar(func(c *Config) *int { return &c.DBMaxConns }, 1, 1000)},
		{"SOULSEER_BASE_URL", "base-url", "http://localhost:8080", "Public URL of the site, used in emails, OIDC redirects and cookie security (https → Secure cookies and HSTS); browser pages may open live connections only from its origin (scheme, host and port).", func(c *Config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("must be an absolute http(s) URL")
			}
			c.BaseURL = strings.TrimRight(v, "/")
			return nil
		}},
		{"SOULSEER_TRUSTED_PROXIES", "", "", "Comma-separated CIDRs of reverse proxies whose X-Forwarded-For decides the client IP. Default: none.", func(c *Config, v string) error {
			c.TrustedProxies = nil
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s == "" {
					continue
				}
				p, err := netip.ParsePrefix(s)
				if err != nil {
					return fmt.Errorf("%q is not a CIDR", s)
				}
				c.TrustedProxies = append(c.TrustedProxies, p.Masked())
			}
			return nil
		}},
		{"SOULSEER_LOG_LEVEL", "", "info", "debug, info, warn or error.", oneOf(func(c *Config) *string { return &c.LogLevel }, "debug", "info", "warn", "error")},
		{"SOULSEER_LOG_FORMAT", "", "text", "text or json.", oneOf(func(c *Config) *string { return &c.LogFormat }, "text", "json")},
		{"SOULSEER_AUTH_RATE_LIMIT", "", "5/5m", "Login and sign-up attempts allowed per client IP per window, as count/duration.", rateVar(func(c *Config) (*int, *time.Duration) { return &c.AuthRateLimit, &c.AuthRateWindow }, 1)},
		{"SOULSEER_MESSAGE_RATE_LIMIT", "", "10/1m", "Messages one user may send per window, as count/duration, on all instances together.", rateVar(func(c *Config) (*int, *time.Duration) { return &c.MessageRateLimit, &c.MessageRateWindow }, 1)},
		{"SOULSEER_FLAG_RATE_LIMIT", "", "5/1m", "Flags one user may raise per window, as count/duration, on all instances together.", rateVar(func(c *Config) (*int, *time.Duration) { return &c.FlagRateLimit, &c.FlagRateWindow }, 1)},
		{"SOULSEER_FLAG_HIDE_AFTER", "", "3", "Flags from different people that hide a forum post or thread until a moderator decides; fewer show it behind a warning.", intVar(func(c *Config) *int { return &c.FlagHideAfter }, 1, 1000)},
		{"SOULSEER_DOWNLOAD_TTL", "", "24h", "How long a link to download a bought digital item works; the buyer can ask for a fresh one any time.", durationVar(func(c *Config) *time.Duration { return &c.DownloadTTL })},
		{"SOULSEER_SESSION_TTL", "", "720h", "How long a login session lasts.", durationVar(func(c *Config) *time.Duration { return &c.SessionTTL })},
		{"SOULSEER_OIDC_ISSUER", "", "", "OpenID Connect issuer URL (e.g. https://YOUR_TENANT.auth0.com/). Enables \"Continue with …\" sign-in.", func(c *Config, v string) error { c.OIDCIssuer = strings.TrimSpace(v); return nil }},
		{"SOULSEER_OIDC_CLIENT_ID", "", "", "OIDC client id.", func(c *Config, v string) error { c.OIDCClientID = v; return nil }},
		{"SOULSEER_OIDC_CLIENT_SECRET", "", "", "OIDC client secret.", func(c *Config, v string) error { c.OIDCClientSecret = v; return nil }},
		{"SOULSEER_OIDC_NAME", "", "Auth0", "Provider name shown on the sign-in button.", func(c *Config, v string) error { c.OIDCName = v; return nil }},
		{"SOULSEER_SMTP_URL", "", "", "smtp://user:password@host:port to send email. Empty: email stays in the outbox admins read at /admin/outbox.", func(c *Config, v string) error {
			if v != "" {
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
					return fmt.Errorf("must look like smtp://user:password@host:587")
				}
			}
			c.SMTPURL = v
			return nil
		}},
		{"SOULSEER_MAIL_FROM", "", "SoulSeer <no-reply@soulseer.local>", "Sender address of outgoing email.", func(c *Config, v string) error { c.MailFrom = v; return nil }},
		{"SOULSEER_STRIPE_SECRET_KEY", "", "", "Stripe secret key (sk_live_… or sk_test_…). Empty: the built-in test-mode checkout stands in for Stripe.", func(c *Config, v string) error { c.StripeSecretKey = strings.TrimSpace(v); return nil }},
		{"SOULSEER_STRIPE_WEBHOOK_SECRET", "", "", "Signing secret of the Stripe webhook endpoint /stripe/webhook/ (whsec_…). Required with a secret key. In test mode one is generated and kept in the data dir.", func(c *Config, v string) error { c.StripeWebhookSecret = strings.TrimSpace(v); return nil }},
		{"SOULSEER_STRIPE_API_URL", "", "", "Base URL of the Stripe API, for a proxy or stripe-mock. Empty: Stripe itself.", func(c *Config, v string) error { c.StripeAPIURL = strings.TrimRight(v, "/"); return nil }},
		{"SOULSEER_PAYMENTS", "", "", "Empty: Stripe when a secret key is set, otherwise the built-in test checkout, which only a local base URL (localhost, 127.0.0.1) may use. `test`: the test checkout on any URL (a public demo: anyone can add play money).", oneOf(func(c *Config) *string { return &c.Payments }, "", PaymentsTest)},
		{"SOULSEER_TOPUP_MIN_CENTS", "", "500", "Smallest wallet top-up, in cents.", int64Var(func(c *Config) *int64 { return &c.TopUpMinCents }, 50, 99_999_999_99)},
		{"SOULSEER_TOPUP_MAX_CENTS", "", "50000", "Largest wallet top-up, in cents.", int64Var(func(c *Config) *int64 { return &c.TopUpMaxCents }, 50, 99_999_999_99)},
		{"SOULSEER_AUTO_RELOAD_MAX_PER_DAY", "", "3", "Most automatic reloads of one client's wallet from their saved card per day (of their time zone).", intVar(func(c *Config) *int { return &c.AutoReloadMaxPerDay }, 1, 100)},
		{"SOULSEER_PAYOUT_MIN_CENTS", "", "2500", "Smallest payout to a reader's connected Stripe account, in cents; readers with less available wait.", int64Var(func(c *Config) *int64 { return &c.PayoutMinCents }, 1, 99_999_999_99)},
		{"SOULSEER_PAYOUT_SCHEDULE", "", "weekly", "How often readers' available earnings are paid out: daily (each midnight UTC), weekly (Mondays) or monthly (the 1st).", oneOf(func(c *Config) *string { return &c.PayoutSchedule }, "daily", "weekly", "monthly")},
		{"SOULSEER_BILLING_PERIOD", "", "60s", "Length of one billed minute of a reading (shorter for demos and tests).", durationVar(func(c *Config) *time.Duration { return &c.BillingPeriod })},
		{"SOULSEER_PLATFORM_SHARE_PERCENT", "", "30", "The platform's share of every reading charge and paid reply, in percent; the reader earns the rest.", intVar(func(c *Config) *int { return &c.PlatformSharePct }, 0, 100)},
		{"SOULSEER_READING_REQUEST_TIMEOUT", "", "60s", "How long a reader has to accept a reading request before it expires.", durationVar(func(c *Config) *time.Duration { return &c.RequestTimeout })},
		{"SOULSEER_READING_GRACE", "", "5m", "How long a disconnected party has to come back before the reading ends.", durationVar(func(c *Config) *time.Duration { return &c.ReadingGrace })},
		{"SOULSEER_PRESENCE_TIMEOUT", "", "20s", "Silence after which a connection counts as lost (readers go offline, readings pause).", durationVar(func(c *Config) *time.Duration { return &c.PresenceTimeout })},
		{"SOULSEER_LATE_CANCEL_REFUND_PERCENT", "", "50", "Share of a scheduled reading's price, in percent, refunded when the client cancels later than SOULSEER_CANCEL_NOTICE before the start.", intVar(func(c *Config) *int { return &c.LateCancelRefundPct }, 0, 100)},
		{"SOULSEER_CANCEL_NOTICE", "", "24h", "How long before a scheduled reading's start a client may still cancel for a full refund.", durationVar(func(c *Config) *time.Duration { return &c.CancelNotice })},
		{"SOULSEER_RECONNECT_LIMIT", "", "5/10m", "Reconnects allowed per reading within a window (count/duration); more end the reading.", rateVar(func(c *Config) (*int, *time.Duration) { return &c.ReconnectLimit, &c.ReconnectWindow }, 0)},
		{"AGORA_APP_ID", "", "", "Agora app id for voice and video readings. Empty: voice/video say they are not configured.", func(c *Config, v string) error { c.AgoraAppID = strings.TrimSpace(v); return nil }},
		{"AGORA_APP_CERTIFICATE", "", "", "Agora app certificate (signs the RTC tokens).", func(c *Config, v string) error { c.AgoraCertificate = strings.TrimSpace(v); return nil }},
		{"SOULSEER_BLOB_URL", "", "", "gocloud.dev bucket URL for uploads (s3://bucket?region=auto&endpoint=… for R2/S3). Empty: files/ in the data dir.", func(c *Config, v string) error { c.BlobURL = v; return nil }},
		{"SOULSEER_METRICS_ADDR", "", "", "Address of a separate listener that serves only /metrics (e.g. 127.0.0.1:9090); the main address then answers 404 there. Empty: /metrics on the main address, to local clients only unless a metrics token is set.", func(c *Config, v string) error { c.MetricsAddr = strings.TrimSpace(v); return nil }},
		{"SOULSEER_METRICS_TOKEN", "", "", "Bearer token that /metrics requires wherever it is served, letting scrapers on other machines read it.", func(c *Config, v string) error { c.MetricsToken = strings.TrimSpace(v); return nil }},
		{"SOULSEER_SENTRY_DSN", "", "", "Sentry DSN (https://key@o0.ingest.sentry.io/0). Set: panics and server errors in requests, live connections and background jobs are reported, tagged with route, request id, user id, release and environment, never with cookies, credentials, bodies or message text. Empty: errors are only logged.", func(c *Config, v string) error {
			if v = strings.TrimSpace(v); v != "" {
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User == nil || u.Host == "" || strings.Trim(u.Path, "/") == "" {
					return fmt.Errorf("must look like https://key@o0.ingest.sentry.io/0")
				}
			}
			c.SentryDSN = v
			return nil
		}},
		{"SOULSEER_SENTRY_ENVIRONMENT", "", "production", "Environment that error reports are tagged with (production, staging, …).", func(c *Config, v string) error { c.SentryEnvironment = strings.TrimSpace(v); return nil }},
	}
}

func intVar(field func(*Config) *int, min, max int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < min || n > max {
			return fmt.Errorf("must be a whole number from %d to %d", min, max)
		}
		*field(c) = n
		return nil
	}
}

func int64Var(field func(*Config) *int64, min, max int64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < min || n > max {
			return fmt.Errorf("must be a whole number from %d to %d", min, max)
		}
		*field(c) = n
		return nil
	}
}

func durationVar(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("must be a positive duration such as 90s or 24h")
		}
		*field(c) = d
		return nil
	}
}

// rateVar reads a limit written count/duration, such as 5/10m: a whole
// count of at least minCount per positive window.
func rateVar(fields func(*Config) (*int, *time.Duration), minCount int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, w, ok := strings.Cut(v, "/")
		count, err1 := strconv.Atoi(n)
		window, err2 := time.ParseDuration(w)
		if !ok || err1 != nil || err2 != nil || count < minCount || window <= 0 {
			return fmt.Errorf("must be a count of at least %d and a positive duration, such as 5/10m", minCount)
		}
		pc, pw := fields(c)
		*pc, *pw = count, window
		return nil
	}
}

func oneOf(field func(*Config) *string, allowed ...string) func(*Config, string) error {
	return func(c *Config, v string) error {
		for _, a := range allowed {
			if v == a {
				*field(c) = v
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
	}
}

// Load builds the config from defaults, then the environment (getenv), then
// flags in args. Any bad value is an error naming the variable.
func Load(getenv func(string) string, args []string) (Config, error) {
	var c Config
	vars := Vars()
	for _, v := range vars {
		val := v.Default
		if e := getenv(v.Name); e != "" {
			val = e
		}
		if err := v.set(&c, val); err != nil {
			return Config{}, fmt.Errorf("config: %s=%q: %w", v.Name, val, err)
		}
	}
	fs := flag.NewFlagSet("soulseer", flag.ContinueOnError)
	flagVals := map[string]*string{}
	for _, v := range vars {
		if v.Flag != "" {
			flagVals[v.Name] = fs.String(v.Flag, "", v.Help+" (env "+v.Name+")")
		}
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	for _, v := range vars {
		if p := flagVals[v.Name]; p != nil && *p != "" {
			if err := v.set(&c, *p); err != nil {
				return Config{}, fmt.Errorf("config: -%s=%q: %w", v.Flag, *p, err)
			}
		}
	}
	if c.TopUpMinCents > c.TopUpMaxCents {
		return Config{}, fmt.Errorf("config: SOULSEER_TOPUP_MIN_CENTS (%d) is above SOULSEER_TOPUP_MAX_CENTS (%d)", c.TopUpMinCents, c.TopUpMaxCents)
	}
	if err := c.CheckPayments(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// OIDCEnabled reports whether sign-in through an OIDC provider is configured.
func (c Config) OIDCEnabled() bool {
	return c.OIDCIssuer != "" && c.OIDCClientID != ""
}

// SecureCookies reports whether cookies must carry the Secure flag: whenever
// the site is served over https.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }
