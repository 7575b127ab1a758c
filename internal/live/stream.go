package live

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Visibility says who may watch a stream (LIV-1).
type Visibility string

// The visibilities.
const (
	Public  Visibility = "public"  // anyone signed in
	Private Visibility = "private" // the users the reader invited
	Premium Visibility = "premium" // whoever holds a ticket for it
)

// State is where a stream stands.
type State string

// The states of a stream.
const (
	Live  State = "live"
	Ended State = "ended"
)

// Why a stream ended.
const (
	EndByReader = "reader" // the reader ended it
	EndByAdmin  = "admin"  // an admin ended it
	EndGone     = "gone"   // the reader stayed away past the grace
)

// Stream is a reader's livestream. Ended streams keep their row, listed on
// the reader's profile.
type Stream struct {
	ID               int64      `json:"id"`
	ReaderID         int64      `json:"reader_id"`
	ReaderName       string     `json:"reader_name"`
	Title            string     `json:"title"`
	Visibility       Visibility `json:"visibility"`
	TicketPriceCents int64      `json:"ticket_price_cents"` // premium streams only; 0 otherwise
	State            State      `json:"state"`
	StartedAt        time.Time  `json:"started_at"`
	EndedAt          *time.Time `json:"ended_at"`
	EndReason        string     `json:"end_reason,omitempty"`
	// ViewerCount is how many users other than the reader watch it now,
	// through any instance (LIV-7).
	ViewerCount int `json:"viewer_count"`

	platformSharePct int
	readerSeenAt     time.Time
}

// Channel is the Agora channel of the stream's video (LIV-2): the server
// names it, so only its tokens open it.
func (st Stream) Channel() string { return fmt.Sprintf("soulseer-stream-%d", st.ID) }

const streamColumns = `s.id, s.reader_id, u.display_name, s.title, s.visibility, s.ticket_price_cents, s.state, s.started_at,
	s.ended_at, s.end_reason, s.platform_share_pct, s.reader_seen_at, s.viewer_count`

const streamFrom = ` FROM streams s JOIN users u ON u.id = s.reader_id`

func scanStream(row interface{ Scan(...any) error }) (Stream, error) {
	var st Stream
	var started, seen int64
	var ended sql.NullInt64
	err := row.Scan(&st.ID, &st.ReaderID, &st.ReaderName, &st.Title, &st.Visibility, &st.TicketPriceCents, &st.State, &started,
		&ended, &st.EndReason, &st.platformSharePct, &seen, &st.ViewerCount)
	if err != nil {
		return Stream{}, err
	}
	st.StartedAt, st.readerSeenAt = db.Time(started), db.Time(seen)
	if ended.Valid {
		t := db.Time(ended.Int64)
		st.EndedAt = &t
	}
	return st, nil
}

// errNoStream is the answer for a stream that does not exist.
var errNoStream = apperr.Errorf(apperr.NotFound, "No such stream.")

// errEnded is the answer to what only a live stream takes.
var errEnded = apperr.Errorf(apperr.Conflict, "This stream has ended.")

// load reads stream id.
func (s *Service) load(ctx context.Context, q db.Querier, id int64) (Stream, error) {
	st, err := scanStream(q.QueryRowContext(ctx, `SELECT `+streamColumns+streamFrom+` WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Stream{}, errNoStream
	}
	if err != nil {
		return Stream{}, fmt.Errorf("live: load stream: %w", err)
	}
	return st, nil
}

// Get returns stream id, live or ended, to anyone: what it is about, whose
// it is and what it costs are public, so a viewer who may not watch it
// learns why when joining (LIV-3).
func (s *Service) Get(ctx context.Context, id int64) (Stream, error) {
	return s.load(ctx, s.DB.Read(), id)
}

// LiveNow lists the streams live now, newest first, that viewer may see
// listed: every public and premium stream, and the private ones viewer may
// watch; streams of readers in a block with viewer are left out (ACC-6).
func (s *Service) LiveNow(ctx context.Context, viewer account.User) ([]Stream, error) {
	return s.list(ctx, viewer, `s.state = 'live'`, nil, liveNowLen)
}

// PastStreams lists readerID's ended streams, newest first, that viewer may
// see listed (as LiveNow chooses), for the reader's profile (LIV-1).
func (s *Service) PastStreams(ctx context.Context, viewer account.User, readerID int64) ([]Stream, error) {
	return s.list(ctx, viewer, `s.state = 'ended' AND s.reader_id = $3`, []any{readerID}, pastStreamsLen)
}

// list returns up to limit streams matching where ($3 onwards are args)
// that viewer may see listed, newest first.
func (s *Service) list(ctx context.Context, viewer account.User, where string, args []any, limit int) ([]Stream, error) {
	mayList := `(s.visibility <> 'private' OR s.reader_id = $1 OR $2
		OR EXISTS (SELECT 1 FROM stream_invites i WHERE i.stream_id = s.id AND i.user_id = $1))
		AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $1 AND b.blocked_id = s.reader_id)
			OR (b.blocker_id = s.reader_id AND b.blocked_id = $1))`
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+streamColumns+streamFrom+` WHERE `+where+` AND `+mayList+
		fmt.Sprintf(` ORDER BY s.started_at DESC, s.id DESC LIMIT %d`, limit),
		append([]any{viewer.ID, viewer.Role == account.RoleAdmin}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("live: list streams: %w", err)
	}
	defer rows.Close()
	out := []Stream{}
	for rows.Next() {
		st, err := scanStream(rows)
		if err != nil {
			return nil, fmt.Errorf("live: list streams: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}
