package reading

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/reader"
)

// Party is one side of a reading.
type Party string

// The two parties.
const (
	Client Party = "client"
	Reader Party = "reader"
)

// Pause reasons.
const (
	PauseLowBalance    = "low_balance"
	PauseSpendingLimit = "spending_limit" // the client's own cap is reached (WAL-11)
	PauseDisconnect    = "disconnect"
)

// End reasons.
const (
	EndDeclined     = "declined"
	EndExpired      = "expired"
	EndCancelled    = "cancelled"
	EndByClient     = "ended_by_client"
	EndByReader     = "ended_by_reader"
	EndGraceExpired = "grace_expired"
	EndAbuse        = "reconnect_abuse"
	EndNoFunds      = "insufficient_funds"
)

// Reading is one on-demand reading with its billing state. Times are wall
// clock; ActiveMS counts active (billable) time before ActiveSince.
type Reading struct {
	ID                  int64
	ClientID            int64
	ReaderID            int64
	ClientName          string
	ReaderName          string
	ReaderAvatar        string
	Modality            reader.Modality
	RateCents           int64
	PlatformSharePct    int
	Period              time.Duration
	State               State
	PauseReason         string
	EndReason           string
	EndedBy             int64
	ExpiresAt           time.Time
	ActivatedAt         time.Time
	EndedAt             time.Time
	FinalizedAt         time.Time
	ActiveMS            int64
	ActiveSince         time.Time // zero unless Active
	BilledMinutes       int64
	NextChargeAt        time.Time
	TotalCents          int64
	ReaderEarningsCents int64
	CreditedCents       int64
	GraceUntil          time.Time
	ClientSeenAt        time.Time
	ReaderSeenAt        time.Time
	GoneParty           string
	Reconnects          int
	WarnedMinute        int64
	BillingProblem      string    // why the ledger refused the reading's next minute, for admins; "" when it bills
	BillingProblemAt    time.Time // when that problem was first seen
	CreatedAt           time.Time
}

// PartyOf returns which side userID is on, if either.
func (r Reading) PartyOf(userID int64) (Party, bool) {
	switch userID {
	case r.ClientID:
		return Client, true
	case r.ReaderID:
		return Reader, true
	}
	return "", false
}

// ActiveTime is how long the reading has been billable up to now.
func (r Reading) ActiveTime(now time.Time) time.Duration {
	ms := r.ActiveMS
	if r.State == Active && !r.ActiveSince.IsZero() {
		ms += max(now.Sub(r.ActiveSince).Milliseconds(), 0)
	}
	return time.Duration(ms) * time.Millisecond
}

// StartedMinutes is how many minutes have started by now: the first when the
// reading became active, each next one once the active time passes its
// start. Every started minute is charged exactly once (OD-5).
func (r Reading) StartedMinutes(now time.Time) int64 {
	if r.ActivatedAt.IsZero() {
		return 0
	}
	p := r.Period.Milliseconds()
	active := r.ActiveTime(now).Milliseconds()
	if active <= 0 {
		return 1
	}
	return (active + p - 1) / p
}

// nextCharge is when, staying active, the next minute starts: the moment the
// active time passes BilledMinutes periods.
func (r Reading) nextCharge() time.Time {
	if r.State != Active || r.ActiveSince.IsZero() {
		return time.Time{}
	}
	return r.ActiveSince.Add(time.Duration(r.BilledMinutes*r.Period.Milliseconds()-r.ActiveMS) * time.Millisecond)
}

// Split divides a charge of cents between the reader and the platform, whose
// share is platformPct percent: the reader gets cents × (100 − platformPct)
// / 100 rounded down to the cent and the platform the rest, so the two parts
// always add up to the charge and an odd cent goes to the platform.
func Split(cents int64, platformPct int) (reader, platform int64) {
	reader = cents * int64(100-platformPct) / 100
	return reader, cents - reader
}

// ReaderShare is the reader's part of one minute at the reading's rate, as
// Split divides it.
func (r Reading) ReaderShare() int64 {
	share, _ := Split(r.RateCents, r.PlatformSharePct)
	return share
}

const readingColumns = `r.id, r.client_id, r.reader_id, cu.display_name, ru.display_name, ru.avatar_key,
	r.modality, r.rate_cents, r.platform_share_pct, r.period_ms, r.state, r.pause_reason, r.end_reason, COALESCE(r.ended_by, 0),
	r.expires_at, r.activated_at, r.ended_at, r.finalized_at, r.active_ms, r.active_since, r.billed_minutes, r.next_charge_at,
	r.total_cents, r.reader_earnings_cents, r.credited_cents, r.grace_until, r.client_seen_at, r.reader_seen_at, r.gone_party,
	r.reconnects, r.warned_minute, r.billing_problem, r.billing_problem_at, r.created_at`

const readingFrom = ` FROM readings r JOIN users cu ON cu.id = r.client_id JOIN users ru ON ru.id = r.reader_id`

func scanReading(row interface{ Scan(...any) error }) (Reading, error) {
	var r Reading
	var period, created, clientSeen, readerSeen int64
	var expires, activated, ended, finalized, activeSince, nextCharge, grace, problemAt sql.NullInt64
	err := row.Scan(&r.ID, &r.ClientID, &r.ReaderID, &r.ClientName, &r.ReaderName, &r.ReaderAvatar,
		&r.Modality, &r.RateCents, &r.PlatformSharePct, &period, &r.State, &r.PauseReason, &r.EndReason, &r.EndedBy,
		&expires, &activated, &ended, &finalized, &r.ActiveMS, &activeSince, &r.BilledMinutes, &nextCharge,
		&r.TotalCents, &r.ReaderEarningsCents, &r.CreditedCents, &grace, &clientSeen, &readerSeen, &r.GoneParty,
		&r.Reconnects, &r.WarnedMinute, &r.BillingProblem, &problemAt, &created)
	if err != nil {
		return Reading{}, err
	}
	r.Period = time.Duration(period) * time.Millisecond
	r.ExpiresAt, r.ActivatedAt, r.EndedAt, r.FinalizedAt = db.NullTime(expires), db.NullTime(activated), db.NullTime(ended), db.NullTime(finalized)
	r.ActiveSince, r.NextChargeAt, r.GraceUntil = db.NullTime(activeSince), db.NullTime(nextCharge), db.NullTime(grace)
	r.BillingProblemAt = db.NullTime(problemAt)
	r.ClientSeenAt, r.ReaderSeenAt, r.CreatedAt = msTime(clientSeen), msTime(readerSeen), db.Time(created)
	return r, nil
}

// msTime is like db.Time but keeps 0 as the zero time ("never").
func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return db.Time(ms)
}

func millisOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return db.Millis(t)
}

var errNoReading = apperr.Errorf(apperr.NotFound, "No such reading.")

// load reads one reading; with lock, its row is locked for the transaction.
func load(ctx context.Context, q db.Querier, id int64, lock string) (Reading, error) {
	r, err := scanReading(q.QueryRowContext(ctx, "SELECT "+readingColumns+readingFrom+" WHERE r.id = $1"+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Reading{}, errNoReading
	}
	if err != nil {
		return Reading{}, fmt.Errorf("reading: load %d: %w", id, err)
	}
	return r, nil
}

// save writes every field a transition or billing step may change, except
// the state, which only transition writes.
func save(ctx context.Context, tx *db.Tx, r *Reading, now time.Time) error {
	r.NextChargeAt = r.nextCharge()
	_, err := tx.ExecContext(ctx, `UPDATE readings SET pause_reason = $1, end_reason = $2, ended_by = $3, expires_at = $4,
		activated_at = $5, ended_at = $6, finalized_at = $7, active_ms = $8, active_since = $9, billed_minutes = $10,
		next_charge_at = $11, total_cents = $12, reader_earnings_cents = $13, credited_cents = $14, grace_until = $15,
		client_seen_at = $16, reader_seen_at = $17, gone_party = $18, reconnects = $19, warned_minute = $20, updated_at = $21,
		billing_problem = $22, billing_problem_at = $23
		WHERE id = $24`,
		r.PauseReason, r.EndReason, nullID(r.EndedBy), db.NullMillis(r.ExpiresAt), db.NullMillis(r.ActivatedAt), db.NullMillis(r.EndedAt),
		db.NullMillis(r.FinalizedAt), r.ActiveMS, db.NullMillis(r.ActiveSince), r.BilledMinutes, db.NullMillis(r.NextChargeAt),
		r.TotalCents, r.ReaderEarningsCents, r.CreditedCents, db.NullMillis(r.GraceUntil), millisOrZero(r.ClientSeenAt),
		millisOrZero(r.ReaderSeenAt), r.GoneParty, r.Reconnects, r.WarnedMinute, db.Millis(now),
		r.BillingProblem, db.NullMillis(r.BillingProblemAt), r.ID)
	if err != nil {
		return fmt.Errorf("reading: save %d: %w", r.ID, err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// transition moves r to the state e leads to and records it with its time
// and reason (OD-3). It is the only code that changes a reading's state; an
// illegal event is refused with a clear error and changes nothing.
func transition(ctx context.Context, tx *db.Tx, r *Reading, e Event, reason string, now time.Time) error {
	to, err := Next(r.State, e)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE readings SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4`, to, db.Millis(now), r.ID, r.State)
	if err != nil {
		return fmt.Errorf("reading: transition %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.Errorf(apperr.Conflict, "This reading changed in the meantime. Please try again.")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reading_transitions (reading_id, from_state, to_state, event, reason, at) VALUES ($1, $2, $3, $4, $5, $6)`,
		r.ID, r.State, to, e, reason, db.Millis(now)); err != nil {
		return fmt.Errorf("reading: record transition %d: %w", r.ID, err)
	}
	r.State = to
	return nil
}

// Transition is one recorded state change.
type Transition struct {
	From, To State
	Event    Event
	Reason   string
	At       time.Time
}

// Transitions returns a reading's recorded state changes, oldest first.
func Transitions(ctx context.Context, q db.Querier, readingID int64) ([]Transition, error) {
	rows, err := q.QueryContext(ctx, `SELECT from_state, to_state, event, reason, at FROM reading_transitions WHERE reading_id = $1 ORDER BY id`, readingID)
	if err != nil {
		return nil, fmt.Errorf("reading: transitions: %w", err)
	}
	defer rows.Close()
	var out []Transition
	for rows.Next() {
		var t Transition
		var at int64
		if err := rows.Scan(&t.From, &t.To, &t.Event, &t.Reason, &at); err != nil {
			return nil, err
		}
		t.At = db.Time(at)
		out = append(out, t)
	}
	return out, rows.Err()
}
