// Package persona plays the demo marketplace's automated readers: readers
// flagged automated in the database, which only the demo loader sets and no
// form or API can, so a real reader is never played. A persona shows online
// while an instance runs the worker, accepts a request after a moment, says
// a few scripted lines and ends the reading after a short while — each step
// through the ordinary reading service, as the reader's own clicks would,
// so the reading is billed like any other (RDR-3, OD-4, OD-5, OD-9).
package persona

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/reading"
)

// The persona's pace.
const (
	// DefaultInterval is how often the worker looks for something to do.
	DefaultInterval = time.Second
	// AcceptAfter is how long a persona lets a request wait before it
	// accepts, as a person would take a moment to answer.
	AcceptAfter = 2 * time.Second
	// Minutes is how many billed minutes a persona's reading lasts.
	Minutes = 3
)

// script is what a persona says over a reading, one line after another;
// {client} is the client's first name and {reader} the persona's name.
var script = []string{
	"Hello {client}, I'm {reader}. Welcome, and thank you for choosing me today.",
	"I'm an automated demo reader: this reading works like any other, and each minute is charged to your wallet as usual.",
	"Take a slow breath with me while I tune in to your question…",
	"I'm drawing three cards for you: the Star, the Two of Cups and the Page of Wands.",
	"Together they speak of hope, a meaningful connection and good news that sets something new in motion.",
	"Trust the small signs in the weeks ahead; they point the way forward.",
	"Our time is nearly up. Thank you for reading with me, {client}, and take care!",
}

// Length is how long a persona's reading runs, in active (billed) time,
// for a billed minute of period: it ends a quarter of a minute before
// minute Minutes+1 would start, so the client pays for Minutes minutes.
func Length(period time.Duration) time.Duration {
	return Minutes*period - period/4
}

// lineAt is when, in active time, line n of the script is due in a reading
// of length: the lines spread evenly from the start.
func lineAt(n int, length time.Duration) time.Duration {
	return length * time.Duration(n) / time.Duration(len(script))
}

// Worker plays every automated reader. Each instance may run one: every
// step is safe to take twice, since the reading service refuses a second
// accept or end and says each scripted line once (reading.Service.SayLine).
type Worker struct {
	DB       *db.DB
	Clock    clock.Clock
	Readings *reading.Service
	Log      *slog.Logger
	Interval time.Duration
}

// Run takes a step every interval until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := w.Step(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("demo persona", "err", err)
		}
	}
}

// open is a reading of a persona that is not over.
type open struct {
	id     int64
	reader account.User
	state  reading.State
}

// Step does what the personas have due now: it marks those online as
// connected and seen (as a reader's open page does, RDR-3; so a persona's
// livestream stays live), accepts requests that
// have waited AcceptAfter — or declines them while the persona is in
// another reading —, keeps the persona present in its running readings,
// says the script's lines when due and ends each reading after Length.
func (w *Worker) Step(ctx context.Context) error {
	now := w.Clock.Now()
	err := w.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET last_seen_at = $1 WHERE automated = TRUE AND status = 'online'`, db.Millis(now)); err != nil {
			return err
		}
		// The user too, as an open page marks its user seen: a persona's
		// livestream stays live while the persona is online (LIV-2).
		_, err := tx.ExecContext(ctx, `UPDATE users SET last_seen_at = $1
			WHERE id IN (SELECT user_id FROM reader_profiles WHERE automated = TRUE AND status = 'online')`, db.Millis(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("persona: heartbeat: %w", err)
	}
	list, err := w.openReadings(ctx)
	if err != nil {
		return err
	}
	busy := map[int64]bool{}
	for _, o := range list {
		busy[o.reader.ID] = busy[o.reader.ID] || o.state.Live()
	}
	var errs []error
	for _, o := range list {
		errs = append(errs, w.act(ctx, o, busy[o.reader.ID], now))
	}
	return errors.Join(errs...)
}

// openReadings lists the personas' readings that are not over.
func (w *Worker) openReadings(ctx context.Context) ([]open, error) {
	rows, err := w.DB.Read().QueryContext(ctx, `SELECT r.id, r.state, u.id, u.display_name FROM readings r
		JOIN reader_profiles p ON p.user_id = r.reader_id JOIN users u ON u.id = r.reader_id
		WHERE p.automated = TRUE AND r.state IN ('waiting', 'active', 'paused', 'reconnecting') ORDER BY r.id`)
	if err != nil {
		return nil, fmt.Errorf("persona: open readings: %w", err)
	}
	defer rows.Close()
	var out []open
	for rows.Next() {
		var o open
		if err := rows.Scan(&o.id, &o.state, &o.reader.ID, &o.reader.DisplayName); err != nil {
			return nil, err
		}
		o.reader.Role = account.RoleReader
		out = append(out, o)
	}
	return out, rows.Err()
}

// act takes the step reading o has due at now.
func (w *Worker) act(ctx context.Context, o open, busy bool, now time.Time) error {
	rd, err := w.Readings.Get(ctx, o.reader, o.id)
	if err != nil {
		return err
	}
	switch {
	case rd.State == reading.Waiting && busy:
		_, err = w.Readings.Decline(ctx, o.reader, o.id)
	case rd.State == reading.Waiting && !now.Before(rd.CreatedAt.Add(AcceptAfter)):
		_, err = w.Readings.Accept(ctx, o.reader, o.id)
	case rd.State.Live():
		err = w.play(ctx, o.reader, rd, now)
	}
	return settled(err)
}

// play keeps the persona present in a running reading, says the line that
// is due and ends the reading once it has run for Length.
func (w *Worker) play(ctx context.Context, me account.User, rd reading.Reading, now time.Time) error {
	if err := w.Readings.Seen(ctx, rd.ID, me.ID); err != nil {
		return err
	}
	length, active := Length(rd.Period), rd.ActiveTime(now)
	var said int
	if err := w.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM reading_messages WHERE reading_id = $1 AND sender_id = $2`,
		rd.ID, me.ID).Scan(&said); err != nil {
		return fmt.Errorf("persona: count lines: %w", err)
	}
	if said < len(script) && active >= lineAt(said, length) {
		first, _, _ := strings.Cut(strings.TrimSpace(rd.ClientName), " ")
		line := strings.NewReplacer("{client}", first, "{reader}", me.DisplayName).Replace(script[said])
		if _, err := w.Readings.SayLine(ctx, me, rd.ID, said, line); settled(err) != nil {
			return err
		}
	}
	if active >= length {
		_, err := w.Readings.End(ctx, me, rd.ID)
		return err
	}
	return nil
}

// settled drops the refusals that mean someone — the client, the sweep or
// another instance's worker — got there first: the reading moved on.
func settled(err error) error {
	switch apperr.CodeOf(err) {
	case apperr.Conflict, apperr.InsufficientFunds:
		return nil
	}
	return err
}
