package realtime

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// NotifyChannel is the PostgreSQL channel every instance's broker listens on.
const NotifyChannel = "soulseer_realtime"

// maxNotifyPayload is PostgreSQL's limit on a NOTIFY payload (it must be
// shorter than 8000 bytes in a default build).
const maxNotifyPayload = 7999

// Timings of the listener connection.
const (
	connectTimeout = 10 * time.Second
	idleCheck      = 30 * time.Second // a silent connection is pinged this often
	pingTimeout    = 5 * time.Second
	minBackoff     = 100 * time.Millisecond
	maxBackoff     = 10 * time.Second
)

// Application names the broker's connections carry, so operators can tell
// them apart in pg_stat_activity.
const (
	listenerAppName  = "soulseer realtime listener"
	publisherAppName = "soulseer realtime"
)

// PostgresBroker carries messages between instances that share one
// PostgreSQL database, with NOTIFY on NotifyChannel and a LISTEN on a
// dedicated connection that is re-established with backoff whenever it is
// lost. Each notification names the instance that sent it, and an instance
// ignores its own. Messages sent while an instance's listener is
// reconnecting do not reach it.
type PostgresBroker struct {
	log      *slog.Logger
	instance string
	listen   *pgx.ConnConfig
	pool     *pgxpool.Pool
	err      error // a configuration error: the broker cannot work at all
}

// NewPostgresBroker returns a broker on the database at databaseURL. It
// connects lazily; a URL that cannot be parsed makes Publish and Listen fail.
func NewPostgresBroker(databaseURL string, log *slog.Logger) *PostgresBroker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var id [8]byte
	_, _ = crand.Read(id[:])
	b := &PostgresBroker{log: log, instance: hex.EncodeToString(id[:])}
	listen, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		b.err = fmt.Errorf("realtime: database URL: %w", err)
		return b
	}
	listen.RuntimeParams["application_name"] = listenerAppName
	b.listen = listen
	poolCfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		b.err = fmt.Errorf("realtime: database URL: %w", err)
		return b
	}
	poolCfg.MaxConns = 4
	poolCfg.ConnConfig.RuntimeParams["application_name"] = publisherAppName
	if b.pool, err = pgxpool.NewWithConfig(context.Background(), poolCfg); err != nil {
		b.err = fmt.Errorf("realtime: publisher pool: %w", err)
	}
	return b
}

// Close closes the publishing connections. Listen ends with its context.
func (b *PostgresBroker) Close() error {
	if b.pool != nil {
		b.pool.Close()
	}
	return nil
}

// Publish sends payload on topic to the other instances with pg_notify. The
// notification is "<instance>\n<topic>\n<payload>"; it must stay under
// PostgreSQL's 8000-byte limit, and payload must be UTF-8 text without NUL
// bytes (the hub sends JSON).
func (b *PostgresBroker) Publish(ctx context.Context, topic string, payload []byte) error {
	if b.err != nil {
		return b.err
	}
	if topic == "" || strings.ContainsAny(topic, "\n\x00") || !utf8.ValidString(topic) {
		return fmt.Errorf("realtime: topic %q cannot be sent through PostgreSQL", topic)
	}
	if !utf8.Valid(payload) || bytes.IndexByte(payload, 0) >= 0 {
		return errors.New("realtime: payload must be UTF-8 text without NUL bytes")
	}
	n := len(b.instance) + 1 + len(topic) + 1 + len(payload)
	if n > maxNotifyPayload {
		return fmt.Errorf("realtime: notification of %d bytes exceeds PostgreSQL's limit of %d", n, maxNotifyPayload)
	}
	msg := b.instance + "\n" + topic + "\n" + string(payload)
	if _, err := b.pool.Exec(ctx, "SELECT pg_notify($1, $2)", NotifyChannel, msg); err != nil {
		return fmt.Errorf("realtime: notify: %w", err)
	}
	return nil
}

// Listen delivers other instances' notifications until ctx ends. When the
// connection fails it logs and reconnects, waiting between 100 ms and 10 s
// (doubling, with jitter); a successful LISTEN resets the wait.
func (b *PostgresBroker) Listen(ctx context.Context, deliver func(topic string, payload []byte)) error {
	if b.err != nil {
		return b.err
	}
	backoff := minBackoff
	for {
		err := b.listenOnce(ctx, deliver, func() { backoff = minBackoff })
		if ctx.Err() != nil {
			return nil
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		b.log.Warn("realtime: listener connection lost; reconnecting", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// listenOnce connects, listens and delivers until the connection fails or
// ctx ends. listening is called once LISTEN has taken effect.
func (b *PostgresBroker) listenOnce(ctx context.Context, deliver func(string, []byte), listening func()) error {
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	conn, err := pgx.ConnectConfig(cctx, b.listen)
	cancel()
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	listening()
	b.log.Debug("realtime: listening for other instances", "channel", NotifyChannel, "instance", b.instance)
	for {
		wctx, cancel := context.WithTimeout(ctx, idleCheck)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !errors.Is(wctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("wait: %w", err)
			}
			// Nothing arrived for a while: make sure the server is still there.
			pctx, cancel := context.WithTimeout(ctx, pingTimeout)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
			continue
		}
		instance, rest, ok1 := strings.Cut(n.Payload, "\n")
		topic, payload, ok2 := strings.Cut(rest, "\n")
		if !ok1 || !ok2 {
			b.log.Warn("realtime: ignoring a malformed notification", "channel", n.Channel)
			continue
		}
		if instance != b.instance {
			deliver(topic, []byte(payload))
		}
	}
}
