// Package app wires SoulSeer together: it opens the database, builds every
// service with its dependencies, registers background jobs and serves HTTP.
// It is the only place that knows how the parts fit.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/agora"
	"github.com/soulseer/soulseer/internal/autoreload"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/deletion"
	"github.com/soulseer/soulseer/internal/errreport"
	"github.com/soulseer/soulseer/internal/filestore"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/forum"
	"github.com/soulseer/soulseer/internal/job"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/limits"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/message"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/payout"
	"github.com/soulseer/soulseer/internal/persona"
	"github.com/soulseer/soulseer/internal/privacy"
	"github.com/soulseer/soulseer/internal/ratelimit"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
	"github.com/soulseer/soulseer/internal/realtime"
	"github.com/soulseer/soulseer/internal/schedule"
	"github.com/soulseer/soulseer/internal/shop"
	"github.com/soulseer/soulseer/internal/shop/stripecatalog"
	"github.com/soulseer/soulseer/internal/upload"
	"github.com/soulseer/soulseer/internal/web"
)

// App is a running SoulSeer instance.
type App struct {
	// metricsLn is the separate metrics address, when one is configured.
	metricsLn net.Listener

	Config   config.Config
	Log      *slog.Logger
	Clock    clock.Clock
	DB       *db.DB
	Jobs     *job.Queue
	Errors   *errreport.Reporter // nil without a Sentry DSN (EXT-5)
	Files    *filestore.Store
	Mail     *mail.Mailer
	Accounts *account.Service
	Readers  *reader.Service
	Limiter  *ratelimit.Limiter
	Ledger   *ledger.Ledger
	Limits   *limits.Service // clients' spending limits, asked before every spending transfer (WAL-11)
	Payments *payment.Service
	Reloads  *autoreload.Service // reloads wallets from saved cards when spending leaves them low (WAL-12)
	Payouts  *payout.Service
	Hub      *realtime.Hub
	Notify   *notify.Service
	Blocks   *block.Service
	Readings *reading.Service
	Messages *message.Service
	Schedule *schedule.Service
	Live     *live.Service
	Forum    *forum.Service
	Flags    *flag.Service
	Uploads  *upload.Service
	Shop     *shop.Service
	Privacy  *privacy.Service  // exports of people's data (SEC-1)
	Deletion *deletion.Service // closes accounts for good (SEC-2)
	Presence *reading.Presence
	Agora    *agora.Tokens
	Personas *persona.Worker

	balances *realtime.Latest
	timeouts Timeouts
	wrap     func(http.Handler) http.Handler
	// manualSweeps: see Options.ManualSweeps.
	manualSweeps bool
	Web          *web.Server
}

// Options adjust how an App is built; tests use them to inject a clock, a
// faster job poll, short HTTP timeouts or a look at every exchange.
type Options struct {
	Clock    clock.Clock
	JobPoll  time.Duration
	Timeouts Timeouts // zero: DefaultTimeouts
	// WrapHandler, when set, wraps the site's handler: tests hold every
	// API answer, whoever asked, to the OpenAPI document.
	WrapHandler func(http.Handler) http.Handler
	// ManualSweeps leaves billing sweeps to whoever calls Readings.Sweep,
	// and the demo personas' steps to whoever calls Personas.Step: tests
	// that step a fake clock sweep themselves, and a background sweep
	// holding a batch (which theirs would skip) must not race them.
	ManualSweeps bool
}

// New opens the database, applies migrations and builds every service.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opt Options) (*App, error) {
	if opt.Clock == nil {
		opt.Clock = clock.System{}
	}
	if err := cfg.CheckPayments(); err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.DBMaxConns)
	if err != nil {
		return nil, err
	}
	if opt.Timeouts == (Timeouts{}) {
		opt.Timeouts = DefaultTimeouts()
	}
	a := &App{Config: cfg, Log: log, Clock: opt.Clock, DB: d, timeouts: opt.Timeouts, wrap: opt.WrapHandler, manualSweeps: opt.ManualSweeps}
	if err := a.build(ctx, opt); err != nil {
		a.Errors.Close(0)
		d.Close()
		return nil, err
	}
	return a, nil
}

// Migrate applies SoulSeer's and the job queue's schema migrations.
func Migrate(ctx context.Context, d *db.DB, log *slog.Logger) error {
	return d.Migrate(ctx, log, func(ctx context.Context) error { return job.Migrate(ctx, d) })
}

func (a *App) build(ctx context.Context, opt Options) error {
	cfg, log := a.Config, a.Log
	if err := Migrate(ctx, a.DB, log); err != nil {
		return err
	}
	var err error
	if a.Files, err = filestore.Open(ctx, cfg.BlobURL, cfg.DataDir); err != nil {
		return err
	}
	if cfg.SentryDSN != "" {
		if a.Errors, err = errreport.New(cfg.SentryDSN, cfg.SentryEnvironment); err != nil {
			return err
		}
	}
	a.Jobs = job.New(a.DB, log, opt.JobPoll)
	a.Jobs.Errors = a.Errors
	a.Mail = &mail.Mailer{DB: a.DB, Clock: a.Clock, Queue: a.Jobs, Log: log}
	if cfg.SMTPURL != "" {
		if a.Mail.Sender, err = mail.NewSMTPSender(cfg.SMTPURL, cfg.MailFrom); err != nil {
			return err
		}
	}
	a.Accounts = &account.Service{DB: a.DB, Clock: a.Clock, Mail: a.Mail, Files: a.Files, Log: log, BaseURL: cfg.BaseURL, SessionTTL: cfg.SessionTTL}
	a.Readers = &reader.Service{DB: a.DB, Clock: a.Clock, Mail: a.Mail, BaseURL: cfg.BaseURL, PresenceTimeout: cfg.PresenceTimeout}
	a.Limiter = &ratelimit.Limiter{DB: a.DB, Clock: a.Clock}
	var broker realtime.Broker // nil on SQLite: one instance, local delivery only
	if a.DB.Engine == db.Postgres {
		broker = realtime.NewPostgresBroker(cfg.DatabaseURL, log)
	}
	a.Hub = realtime.NewHub(log, broker)
	a.Accounts.Hub = a.Hub
	a.balances = a.Hub.Latest(100 * time.Millisecond)
	a.Notify = &notify.Service{DB: a.DB, Clock: a.Clock, Hub: a.Hub, Mail: a.Mail, Log: log, BaseURL: cfg.BaseURL, PresenceTimeout: cfg.PresenceTimeout}
	a.Readers.Notify = a.Notify
	a.Blocks = &block.Service{DB: a.DB, Clock: a.Clock}
	a.Limits = &limits.Service{DB: a.DB, Clock: a.Clock}
	a.Ledger = &ledger.Ledger{DB: a.DB, Clock: a.Clock, OnBalanceChange: a.balanceChanged, Guard: a.Limits.Guard}
	a.Schedule = &schedule.Service{DB: a.DB, Clock: a.Clock, Ledger: a.Ledger, Notify: a.Notify, Hub: a.Hub, BaseURL: cfg.BaseURL, Config: schedule.Config{
		PlatformSharePct: cfg.PlatformSharePct, LateCancelRefundPct: cfg.LateCancelRefundPct, CancelNotice: cfg.CancelNotice}}
	if a.Payments, err = a.buildPayments(); err != nil {
		return err
	}
	a.Reloads = &autoreload.Service{DB: a.DB, Clock: a.Clock, Ledger: a.Ledger, Payments: a.Payments, Limits: a.Limits, Notify: a.Notify,
		Jobs: a.Jobs, Log: log, MaxPerDay: cfg.AutoReloadMaxPerDay}
	a.Payments.CardSetUp, a.Payments.CardSettled = a.Reloads.CardSetUp, a.Reloads.Settled
	a.Readings = &reading.Service{DB: a.DB, Clock: a.Clock, Ledger: a.Ledger, Hub: a.Hub, Payments: a.Payments, Readers: a.Readers,
		Log: log, Config: reading.Config{
			Period: cfg.BillingPeriod, PlatformSharePct: cfg.PlatformSharePct, RequestTTL: cfg.RequestTimeout, Grace: cfg.ReadingGrace,
			PresenceTimeout: cfg.PresenceTimeout, ReconnectLimit: cfg.ReconnectLimit, ReconnectWindow: cfg.ReconnectWindow, SweepBatch: reading.DefaultSweepBatch, SweepWorkers: 1,
		}}
	if a.DB.Engine == db.Postgres {
		a.Readings.Config.SweepWorkers = reading.DefaultSweepWorkers // SQLite has one writer; PostgreSQL bills in parallel
	}
	a.Messages = &message.Service{DB: a.DB, Clock: a.Clock, Ledger: a.Ledger, Hub: a.Hub, Limiter: a.Limiter, Notify: a.Notify, Log: log,
		Config: message.Config{PlatformSharePct: cfg.PlatformSharePct, SendLimit: ratelimit.Rule{Limit: cfg.MessageRateLimit, Window: cfg.MessageRateWindow}}}
	a.Presence = &reading.Presence{Readings: a.Readings, Interval: max(cfg.PresenceTimeout/4, 100*time.Millisecond), LeaveDelay: reading.LeaveDelay}
	a.Agora = &agora.Tokens{AppID: cfg.AgoraAppID, Certificate: cfg.AgoraCertificate, TTL: agora.DefaultTTL, Clock: a.Clock}
	a.Live = &live.Service{DB: a.DB, Clock: a.Clock, Ledger: a.Ledger, Hub: a.Hub, Limiter: a.Limiter, Agora: a.Agora, Notify: a.Notify, Log: log, Config: live.Config{
		PlatformSharePct: cfg.PlatformSharePct, PresenceTimeout: cfg.PresenceTimeout, Grace: cfg.ReadingGrace,
		ChatLimit: ratelimit.Rule{Limit: cfg.MessageRateLimit, Window: cfg.MessageRateWindow}}}
	a.Uploads = &upload.Service{DB: a.DB, Clock: a.Clock, Files: a.Files, QuotaBytes: upload.DefaultQuotaBytes}
	a.Forum = &forum.Service{DB: a.DB, Clock: a.Clock, HideAfter: cfg.FlagHideAfter, Uploads: a.Uploads}
	a.Flags = &flag.Service{DB: a.DB, Clock: a.Clock, Limiter: a.Limiter, Notify: a.Notify, Hub: a.Hub,
		Config: flag.Config{Limit: ratelimit.Rule{Limit: cfg.FlagRateLimit, Window: cfg.FlagRateWindow}},
		Targets: map[string]flag.Target{forum.TargetPost: a.Forum.PostTarget(), forum.TargetThread: a.Forum.ThreadTarget(),
			flag.TargetReview: a.Readings.ReviewTarget(), flag.TargetMessage: a.Live.MessageTarget(), flag.TargetProfile: a.Readers.ProfileTarget()}}
	a.Shop = &shop.Service{DB: a.DB, Clock: a.Clock, Ledger: a.Ledger, Payments: a.Payments, Files: a.Files, Uploads: a.Uploads,
		Notify: a.Notify, Jobs: a.Jobs, Log: log, DownloadTTL: cfg.DownloadTTL}
	if !cfg.TestPayments() {
		a.Shop.Catalog = stripecatalog.New(cfg.StripeSecretKey, cfg.StripeAPIURL)
	}
	a.Payments.Credited, a.Payments.CatalogChanged = a.Shop.PayByTopUp, a.Shop.CatalogChanged
	if a.Payouts, err = a.buildPayouts(); err != nil {
		return err
	}
	a.Payments.ConnectChanged = a.Payouts.ConnectEvent
	a.Privacy = &privacy.Service{DB: a.DB, Clock: a.Clock, Files: a.Files, Jobs: a.Jobs, Notify: a.Notify, Log: log, BaseURL: cfg.BaseURL}
	a.Deletion = &deletion.Service{DB: a.DB, Clock: a.Clock, Log: log, Files: a.Files, Accounts: a.Accounts, Ledger: a.Ledger,
		Payments: a.Payments, Payouts: a.Payouts, Readings: a.Readings, Schedule: a.Schedule, Live: a.Live}
	a.Personas = &persona.Worker{DB: a.DB, Clock: a.Clock, Readings: a.Readings, Log: log, Interval: persona.DefaultInterval}

	job.Register(a.Jobs, &mail.DeliverWorker{Mailer: a.Mail})
	job.Register(a.Jobs, &payment.CardRefundWorker{Payments: a.Payments})
	job.Register(a.Jobs, &payment.ParkedEventsWorker{Payments: a.Payments})
	job.Register(a.Jobs, &autoreload.ChargeWorker{AutoReload: a.Reloads})
	job.Register(a.Jobs, &autoreload.SaveCardWorker{AutoReload: a.Reloads})
	a.Jobs.Every(15*time.Minute, payment.ParkedEventsArgs{})
	job.Register(a.Jobs, &notify.EmailWorker{Notify: a.Notify})
	a.Jobs.Every(notify.EmailSweepInterval, notify.EmailArgs{})
	job.Register(a.Jobs, &cleanupWorker{accounts: a.Accounts, limiter: a.Limiter, log: log})
	a.Jobs.Every(time.Hour, cleanupArgs{})
	job.Register(a.Jobs, &shop.SyncProductWorker{Shop: a.Shop})
	job.Register(a.Jobs, &shop.SyncWorker{Shop: a.Shop})
	if a.Shop.Catalog != nil {
		a.Jobs.Every(shop.SyncInterval, shop.SyncArgs{})
	}
	job.Register(a.Jobs, &upload.CleanupWorker{Uploads: a.Uploads})
	a.Jobs.Every(time.Hour, upload.CleanupArgs{})
	job.Register(a.Jobs, &privacy.BuildWorker{Privacy: a.Privacy})
	job.Register(a.Jobs, &privacy.CleanupWorker{Privacy: a.Privacy})
	a.Jobs.Every(privacy.CleanupInterval, privacy.CleanupArgs{})
	if !a.manualSweeps {
		job.Register(a.Jobs, &schedule.SweepWorker{Schedule: a.Schedule})
		a.Jobs.Every(schedule.SweepInterval, schedule.SweepArgs{})
		job.Register(a.Jobs, &live.SweepWorker{Live: a.Live})
		a.Jobs.Every(live.SweepInterval, live.SweepArgs{})
		job.Register(a.Jobs, &live.RenewWorker{Live: a.Live})
		a.Jobs.Every(live.RenewInterval, live.RenewArgs{})
		job.Register(a.Jobs, &shop.ExpireWorker{Shop: a.Shop})
		a.Jobs.Every(shop.ExpirySweepInterval, shop.ExpireArgs{})
		job.Register(a.Jobs, &payout.RunWorker{Payouts: a.Payouts})
		a.Jobs.Every(payout.RunInterval, payout.RunArgs{})
	}

	if err := a.Jobs.Init(); err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(a.DB.Writer, "writer"))
	var oidcProvider *account.OIDCProvider
	if cfg.OIDCEnabled() {
		oidcProvider = &account.OIDCProvider{Name: cfg.OIDCName, Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID,
			ClientSecret: cfg.OIDCClientSecret, RedirectURL: cfg.BaseURL + "/auth/oidc/callback"}
	}
	a.Web, err = web.New(web.Deps{
		Config: cfg, Log: log, Clock: a.Clock, DB: a.DB, Accounts: a.Accounts, Readers: a.Readers,
		Mail: a.Mail, Files: a.Files, Limiter: a.Limiter, OIDC: oidcProvider, Metrics: reg, Errors: a.Errors,
		Ledger: a.Ledger, Limits: a.Limits, Payments: a.Payments, Reloads: a.Reloads, Payouts: a.Payouts, Hub: a.Hub, Notify: a.Notify, Blocks: a.Blocks, Readings: a.Readings, Presence: a.Presence, Agora: a.Agora,
		Messages: a.Messages, Schedule: a.Schedule, Live: a.Live, Forum: a.Forum, Flags: a.Flags, Uploads: a.Uploads, Shop: a.Shop, Privacy: a.Privacy,
		Deletion: a.Deletion,
	})
	if err != nil {
		return err
	}
	return a.listenMetrics()
}

// SweepInterval is how often the billing sweep runs: a quarter of a billed
// minute, between 200 ms and 1 s, so a minute is charged at most a second
// after it starts.
func SweepInterval(period time.Duration) time.Duration {
	return min(max(period/4, 200*time.Millisecond), time.Second)
}

// liveBalances are the event types of the balances pages show live.
var liveBalances = map[ledger.AccountKind]string{ledger.KindWallet: "wallet.balance", ledger.KindEarnings: "earnings.balance"}

// balanceChanged follows a committed change of a user's balance: their
// open pages show it, and a wallet left under its auto-reload threshold is
// looked at for a reload (WAL-12).
func (a *App) balanceChanged(c ledger.BalanceChange) {
	a.publishBalance(c)
	a.Reloads.Saw(c)
}

// publishBalance tells a user's open pages their new wallet balance, and a
// reader's their new earnings (the header shows them), once the transfer
// that changed it has committed (WAL-6). Balances go out as the newest
// value within 100 ms, so a billing sweep that changes thousands of wallets
// costs a handful of notifications, not one each.
func (a *App) publishBalance(c ledger.BalanceChange) {
	if typ, ok := liveBalances[c.Kind]; ok {
		a.balances.Set(realtime.UserTopic(c.UserID), typ, map[string]any{"kind": c.Kind, "balance_cents": c.Balance})
	}
}

// buildPayments chooses the payment gateway: Stripe when a secret key is
// configured, the built-in test mode otherwise (WAL-10; config.CheckPayments
// has already refused test mode on a public site, WAL-13).
func (a *App) buildPayments() (*payment.Service, error) {
	cfg := a.Config
	secret, err := payment.WebhookSecret(cfg.StripeWebhookSecret, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	var gw payment.Gateway = payment.NewStripeGateway(cfg.StripeSecretKey, cfg.StripeAPIURL)
	if cfg.TestPayments() {
		gw = &payment.TestGateway{DB: a.DB, Clock: a.Clock, BaseURL: cfg.BaseURL}
	}
	return &payment.Service{DB: a.DB, Clock: a.Clock, Ledger: a.Ledger, Gateway: gw, Jobs: a.Jobs, Log: a.Log,
		BaseURL: cfg.BaseURL, WebhookSecret: secret, MinTopUp: cfg.TopUpMinCents, MaxTopUp: cfg.TopUpMaxCents}, nil
}

// buildPayouts pays readers out through Stripe Connect when a Stripe key
// is configured, through the built-in test mode otherwise (EXT-3).
func (a *App) buildPayouts() (*payout.Service, error) {
	cfg := a.Config
	sched, err := payout.ParseSchedule(cfg.PayoutSchedule)
	if err != nil {
		return nil, err
	}
	var gw payout.Gateway = payout.NewStripeGateway(cfg.StripeSecretKey, cfg.StripeAPIURL)
	if cfg.TestPayments() {
		gw = &payout.TestGateway{DB: a.DB, Clock: a.Clock, BaseURL: cfg.BaseURL}
	}
	return &payout.Service{DB: a.DB, Clock: a.Clock, Ledger: a.Ledger, Gateway: gw, Log: a.Log, BaseURL: cfg.BaseURL,
		MinCents: cfg.PayoutMinCents, Schedule: sched}, nil
}

// Serve runs background jobs and the realtime hub and serves HTTP on ln
// until ctx is cancelled, then shuts down gracefully (OPS-3): it stops
// taking connections, closes every live WebSocket with 1001 "server is
// restarting; reconnect" (pages reconnect to a running instance, and
// presence does not count it as their users leaving, so no reading pauses
// for it), lets in-flight requests and jobs finish (up to 20 s) and returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if err := a.Jobs.Start(ctx); err != nil {
		ln.Close()
		return err
	}
	// The hub and presence stop when the shutdown below says so, after
	// presence has stopped recording departures: connections the server
	// closes are not users leaving their readings.
	hubCtx, stopHub := context.WithCancel(context.WithoutCancel(ctx))
	hubDone := make(chan struct{})
	go func() {
		defer close(hubDone)
		if err := a.Hub.Run(hubCtx); err != nil {
			a.Log.Error("realtime: delivery to other instances stopped", "err", err)
		}
	}()
	defer func() { stopHub(); <-hubDone }()
	defer a.serveMetrics(ctx)()
	presenceDone, sweepsDone, balancesDone, viewersDone := make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() { defer close(presenceDone); a.Presence.Run(hubCtx) }()
	go func() { defer close(viewersDone); a.Live.RunViewers(hubCtx) }()
	go func() {
		defer close(sweepsDone)
		if !a.manualSweeps {
			personasDone := make(chan struct{})
			go func() { defer close(personasDone); a.Personas.Run(hubCtx) }()
			a.Readings.RunSweeps(hubCtx, SweepInterval(a.Config.BillingPeriod))
			<-personasDone
		}
	}()
	go func() { defer close(balancesDone); a.balances.Run(hubCtx) }()
	defer func() { stopHub(); <-presenceDone; <-sweepsDone; <-balancesDone; <-viewersDone }()
	reloadsDone := make(chan struct{})
	go func() { defer close(reloadsDone); a.Reloads.Watch(hubCtx) }()
	defer func() { stopHub(); <-reloadsDone }()
	var h http.Handler = a.Web
	if a.wrap != nil {
		h = a.wrap(h)
	}
	srv := newHTTPServer(ctx, h, a.timeouts, a.Log)
	// Shutdown closes the listener before it runs this, so a page told to
	// reconnect is not answered by this instance again but by a running one.
	srv.RegisterOnShutdown(stopHub)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		_ = a.Jobs.Stop(context.Background())
		return fmt.Errorf("app: serve: %w", err)
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	a.Presence.Stop()
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	err = errors.Join(err, a.Jobs.Stop(sctx))
	return err
}

// Close sends the error reports still queued (waiting up to 5 s) and
// releases the database, the file store, the realtime broker's connections
// and the metrics listener.
func (a *App) Close() error {
	a.Errors.Close(5 * time.Second)
	a.closeMetrics()
	var err error
	if a.Files != nil {
		err = a.Files.Close()
	}
	if a.Hub != nil {
		err = errors.Join(err, a.Hub.Close())
	}
	return errors.Join(err, a.DB.Close())
}
