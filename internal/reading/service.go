package reading

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/realtime"
)

// Defaults of the billing sweep: how many readings one billing transaction
// charges, and how many such transactions run in parallel on PostgreSQL.
const (
	DefaultSweepBatch   = 5000
	DefaultSweepWorkers = 4
)

// Config holds the rules readings run by.
type Config struct {
	Period           time.Duration // length of a billed minute (SOULSEER_BILLING_PERIOD)
	PlatformSharePct int           // the platform's share of each charge, in percent
	RequestTTL       time.Duration // how long a reader has to answer (OD-4)
	Grace            time.Duration // how long a disconnected party has to come back (OD-7)
	PresenceTimeout  time.Duration // silence after which a party counts as disconnected
	ReconnectLimit   int           // reconnects allowed within ReconnectWindow (OD-8)
	ReconnectWindow  time.Duration
	SweepBatch       int // readings billed per transaction by the sweep
	SweepWorkers     int // parallel billing transactions per sweep (1 on SQLite's single writer)
}

// Service runs readings.
type Service struct {
	DB       *db.DB
	Clock    clock.Clock
	Ledger   *ledger.Ledger
	Hub      *realtime.Hub
	Payments *payment.Service
	Readers  *reader.Service
	Log      *slog.Logger
	Config   Config
}

// Get returns a reading to one of its parties or an admin.
func (s *Service) Get(ctx context.Context, viewer account.User, id int64) (Reading, error) {
	r, err := load(ctx, s.DB.Read(), id, "")
	if err != nil {
		return Reading{}, err
	}
	if _, ok := r.PartyOf(viewer.ID); !ok && viewer.Role != account.RoleAdmin {
		return Reading{}, errNoReading
	}
	return r, nil
}

// Request asks a reader for a reading (OD-1, OD-2): the reader must be
// verified, online (not busy or offline) and offer the modality, neither
// may have blocked the other (ACC-6), and the client's wallet must hold at
// least one minute at the reader's rate. The rate is fixed for the whole
// reading when it is requested.
func (s *Service) Request(ctx context.Context, client account.User, readerID int64, m reader.Modality) (Reading, error) {
	fields := map[string]string{}
	if _, ok := reader.ParseModality(string(m)); !ok {
		fields["modality"] = "Choose text, voice or video."
	}
	if readerID <= 0 {
		fields["reader_id"] = "Choose a reader."
	}
	if err := apperr.Validation(fields); err != nil {
		return Reading{}, err
	}
	if readerID == client.ID {
		return Reading{}, apperr.Errorf(apperr.Invalid, "You cannot request a reading from yourself.")
	}
	p, err := s.Readers.Get(ctx, client, readerID)
	if err != nil {
		return Reading{}, err
	}
	if !p.IsVerified {
		return Reading{}, apperr.Errorf(apperr.NotFound, "No such reader.")
	}
	if err := refuseBlocked(ctx, s.DB.Read(), client.ID, readerID); err != nil {
		return Reading{}, err
	}
	rate := p.Rates.For(m)
	if rate == 0 {
		return Reading{}, apperr.Validation(map[string]string{"modality": fmt.Sprintf("%s does not offer %s readings.", p.DisplayName, m)})
	}
	switch p.Status {
	case reader.Busy:
		return Reading{}, apperr.Errorf(apperr.Conflict, "%s is in another reading right now. You can join the queue.", p.DisplayName)
	case reader.Offline:
		return Reading{}, apperr.Errorf(apperr.Conflict, "%s is offline right now.", p.DisplayName)
	}
	now := s.Clock.Now()
	var r Reading
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM readings WHERE client_id = $1 AND state IN `+OpenStatesSQL,
			client.ID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return apperr.Errorf(apperr.Conflict, "You already have a reading in progress. End it before starting another.")
		}
		bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(client.ID))
		if err != nil {
			return err
		}
		if bal < rate {
			return &apperr.Error{Code: apperr.InsufficientFunds, Message: fmt.Sprintf(
				"A reading with %s costs %s per minute; your balance is %s. Add funds to start.",
				p.DisplayName, ledger.FormatCents(rate), ledger.FormatCents(bal))}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO readings (client_id, reader_id, modality, rate_cents, platform_share_pct, period_ms,
			state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'created', $7, $7) RETURNING id`,
			client.ID, readerID, m, rate, s.Config.PlatformSharePct, s.Config.Period.Milliseconds(), db.Millis(now)).Scan(&id); err != nil {
			if s.DB.IsUniqueViolation(err) {
				return errOneAtATime
			}
			return fmt.Errorf("reading: create: %w", err)
		}
		if r, err = load(ctx, tx, id, ""); err != nil {
			return err
		}
		if err := transition(ctx, tx, &r, EventSubmit, "", now); err != nil {
			return err
		}
		r.ExpiresAt = now.Add(s.Config.RequestTTL)
		if err := save(ctx, tx, &r, now); err != nil {
			return err
		}
		_, _ = tx.ExecContext(ctx, `DELETE FROM reading_queue WHERE reader_id = $1 AND client_id = $2`, readerID, client.ID)
		return s.announce(tx, &r, "reading.requested")
	})
	return r, err
}

// announce tells both parties (their user topics) and the reading room
// (its topic) about the reading's new state, once tx commits.
func (s *Service) announce(tx *db.Tx, r *Reading, typ string) error {
	v := r.View(s.Clock.Now())
	for _, topic := range []string{realtime.ReadingTopic(r.ID), realtime.UserTopic(r.ClientID), realtime.UserTopic(r.ReaderID)} {
		if err := s.Hub.PublishOnCommit(tx, topic, typ, v); err != nil {
			return err
		}
	}
	return nil
}

// modify loads a reading for update, checks that actor may act on it, runs
// f and saves the result, all in one transaction.
func (s *Service) modify(ctx context.Context, id int64, actor account.User, f func(tx *db.Tx, r *Reading, party Party, now time.Time) error) (Reading, error) {
	var r Reading
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if r, err = load(ctx, tx, id, s.DB.ForUpdateOf("r")); err != nil {
			return err
		}
		party, ok := r.PartyOf(actor.ID)
		if !ok && actor.ID != 0 {
			return errNoReading
		}
		now := s.Clock.Now()
		if err := f(tx, &r, party, now); err != nil {
			return err
		}
		return save(ctx, tx, &r, now)
	})
	if s.DB.IsUniqueViolation(err) {
		return r, errOneAtATime
	}
	return r, err
}

// errOneAtATime refuses a second reading at once: a client has one reading
// going on and a reader one running, enforced by unique indexes so that even
// racing requests or accepts cannot break it.
var errOneAtATime = apperr.Errorf(apperr.Conflict, "Only one reading at a time: finish the current reading first.")

var errReaderOnly = apperr.Errorf(apperr.Forbidden, "Only the reader can answer a reading request.")

// Accept starts a waiting reading (OD-4): the first minute is charged at
// once — so a client who can no longer pay is told now — and billing runs
// from here. A reading whose first minute the ledger refuses for another
// reason does not start.
func (s *Service) Accept(ctx context.Context, rdr account.User, id int64) (Reading, error) {
	var noFunds, atLimit bool
	r, err := s.modify(ctx, id, rdr, func(tx *db.Tx, r *Reading, party Party, now time.Time) error {
		if party != Reader {
			return errReaderOnly
		}
		if r.State == Waiting && !r.ExpiresAt.IsZero() && now.After(r.ExpiresAt) {
			return apperr.Errorf(apperr.Conflict, "This request has expired.")
		}
		var live int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM readings WHERE reader_id = $1 AND state IN ('active', 'paused', 'reconnecting')`,
			r.ReaderID).Scan(&live); err != nil {
			return err
		}
		if live > 0 {
			return errOneAtATime
		}
		if err := transition(ctx, tx, r, EventAccept, "", now); err != nil {
			return err
		}
		r.ActivatedAt, r.ActiveSince, r.ExpiresAt = now, now, time.Time{}
		r.ClientSeenAt, r.ReaderSeenAt = now, now
		charged, err := s.chargeDue(ctx, tx, r, now)
		if err != nil {
			return err
		}
		if charged == 0 && r.BillingProblem != "" {
			return apperr.Errorf(apperr.Conflict, "This reading cannot be billed, so it was not started. %s", r.BillingProblem)
		}
		if charged == 0 {
			noFunds, atLimit = true, r.PauseReason == PauseSpendingLimit
			r.ActiveSince = time.Time{}
			return s.end(ctx, tx, r, EventEnd, EndNoFunds, 0, now)
		}
		return s.announce(tx, r, "reading.accepted")
	})
	if err == nil && atLimit {
		return r, &apperr.Error{Code: apperr.InsufficientFunds, Message: "The client's spending limit does not allow another minute, so the reading was cancelled."}
	}
	if err == nil && noFunds {
		return r, &apperr.Error{Code: apperr.InsufficientFunds, Message: "The client's balance no longer covers the first minute, so the reading was cancelled."}
	}
	return r, err
}

// Decline turns a request down.
func (s *Service) Decline(ctx context.Context, rdr account.User, id int64) (Reading, error) {
	return s.modify(ctx, id, rdr, func(tx *db.Tx, r *Reading, party Party, now time.Time) error {
		if party != Reader {
			return errReaderOnly
		}
		return s.end(ctx, tx, r, EventDecline, EndDeclined, rdr.ID, now)
	})
}

// End ends a reading for either side: a waiting request is cancelled; a
// started reading is charged for every started minute and finalized.
func (s *Service) End(ctx context.Context, u account.User, id int64) (Reading, error) {
	return s.modify(ctx, id, u, func(tx *db.Tx, r *Reading, party Party, now time.Time) error {
		reason := EndByClient
		switch {
		case r.State == Waiting && party == Client:
			reason = EndCancelled
		case r.State == Waiting:
			reason = EndDeclined
		case party == Reader:
			reason = EndByReader
		}
		return s.end(ctx, tx, r, EventEnd, reason, u.ID, now)
	})
}

// end moves r to ended through event e: the active time stops, every started
// minute not yet charged is charged (as far as the wallet allows), then the
// reading is finalized with its summary (OD-11).
func (s *Service) end(ctx context.Context, tx *db.Tx, r *Reading, e Event, reason string, by int64, now time.Time) error {
	wasActive := r.State == Active
	if wasActive {
		if _, err := s.chargeDue(ctx, tx, r, now); err != nil {
			return err
		}
		if r.State != Active { // paused for low balance while settling
			wasActive = false
		}
	}
	if wasActive {
		r.ActiveMS = min(r.ActiveTime(now).Milliseconds(), r.BilledMinutes*r.Period.Milliseconds())
	}
	if err := transition(ctx, tx, r, e, reason, now); err != nil {
		return err
	}
	r.ActiveSince, r.GraceUntil, r.ExpiresAt = time.Time{}, time.Time{}, time.Time{}
	r.EndReason, r.EndedBy, r.EndedAt = reason, by, now
	if err := s.autoCredit(ctx, tx, r, now); err != nil {
		return err
	}
	return s.finalize(ctx, tx, r, now)
}

// Resume restarts a reading paused for low balance once the client has
// topped up (OD-6); the next minute is charged at once.
func (s *Service) Resume(ctx context.Context, u account.User, id int64) (Reading, error) {
	return s.modify(ctx, id, u, func(tx *db.Tx, r *Reading, party Party, now time.Time) error {
		if r.State != Paused || r.PauseReason != PauseLowBalance {
			return apperr.Errorf(apperr.Conflict, "This reading is not waiting for a top-up.")
		}
		return s.resume(ctx, tx, r, now)
	})
}

// resume moves a paused or reconnecting reading back to active if the next
// minute can be paid, charging it; otherwise it stays (or goes) paused for
// low balance.
func (s *Service) resume(ctx context.Context, tx *db.Tx, r *Reading, now time.Time) error {
	bal, err := s.Ledger.Balance(ctx, tx, ledger.Wallet(r.ClientID))
	if err != nil {
		return err
	}
	needs := r.BilledMinutes*r.Period.Milliseconds() <= r.ActiveMS // the next minute starts on resume
	if needs && bal < r.RateCents {
		if r.State == Paused && r.PauseReason == PauseLowBalance {
			return apperr.Errorf(apperr.InsufficientFunds, "Your balance (%s) does not cover the next minute (%s) yet.",
				ledger.FormatCents(bal), ledger.FormatCents(r.RateCents))
		}
		r.PauseReason = PauseLowBalance
		if err := transition(ctx, tx, r, EventLowBalance, "balance below one minute", now); err != nil {
			return err
		}
		return s.announce(tx, r, "reading.paused")
	}
	if err := transition(ctx, tx, r, EventResume, "", now); err != nil {
		return err
	}
	r.PauseReason, r.GraceUntil, r.GoneParty, r.ActiveSince = "", time.Time{}, "", now
	target := r.StartedMinutes(now)
	if needs {
		target = max(target, r.BilledMinutes+1) // the next minute starts now and is paid up front
	}
	if _, err := s.chargeUpTo(ctx, tx, r, target, now); err != nil {
		return err
	}
	if r.State == Active {
		return s.announce(tx, r, "reading.resumed")
	}
	return nil
}

// List returns a user's readings, newest first: as client, as reader, or
// (for admins with userID 0) everyone's.
func (s *Service) List(ctx context.Context, userID int64, as Party, limit int) ([]Reading, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	where, args := "", []any{}
	switch {
	case userID != 0 && as == Reader:
		where, args = " WHERE r.reader_id = $1", []any{userID}
	case userID != 0:
		where, args = " WHERE r.client_id = $1", []any{userID}
	}
	return s.list(ctx, where+" ORDER BY r.id DESC LIMIT "+strconv.Itoa(limit), args...)
}

// Unbillable lists, for admins, the readings flagged because the ledger
// refused a minute for a reason other than funds (BillingProblem), the most
// recently flagged first, at most limit (OD-5).
func (s *Service) Unbillable(ctx context.Context, limit int) ([]Reading, error) {
	return s.list(ctx, " WHERE r.billing_problem <> '' ORDER BY r.billing_problem_at DESC, r.id DESC LIMIT "+strconv.Itoa(max(limit, 1)))
}

// list returns the readings that tail (WHERE, ORDER BY and LIMIT) selects.
func (s *Service) list(ctx context.Context, tail string, args ...any) ([]Reading, error) {
	rows, err := s.DB.Read().QueryContext(ctx, "SELECT "+readingColumns+readingFrom+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("reading: list: %w", err)
	}
	defer rows.Close()
	var out []Reading
	for rows.Next() {
		r, err := scanReading(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
