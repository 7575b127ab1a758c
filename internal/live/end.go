package live

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// EndNotice is the data of a stream.ended event: which stream, why and when.
type EndNotice struct {
	StreamID int64     `json:"stream_id"`
	Reason   string    `json:"reason"`
	EndedAt  time.Time `json:"ended_at"`
}

// End ends stream id for who: its reader, or an admin (recorded in the
// audit log, SEC-4); anyone else is Forbidden, and a stream that has
// already ended is a Conflict. Every viewer is told through the stream's
// topic (stream.ended) once the end is stored (LIV-2).
func (s *Service) End(ctx context.Context, who account.User, id int64) (Stream, error) {
	st, err := s.Get(ctx, id)
	if err != nil {
		return Stream{}, err
	}
	reason := EndByReader
	switch {
	case who.ID == st.ReaderID:
	case who.Role == account.RoleAdmin:
		reason = EndByAdmin
	default:
		return Stream{}, apperr.Errorf(apperr.Forbidden, "Only the stream's reader or an admin can end it.")
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.end(ctx, tx, id, who.ID, reason); err != nil {
			return err
		}
		if reason == EndByAdmin {
			if err := audit.Record(ctx, tx, audit.Entry{ActorID: who.ID, Action: "stream.end", Model: "stream", ObjectID: strconv.FormatInt(id, 10),
				Details: map[string]any{"reader_id": st.ReaderID, "title": st.Title}, At: s.Clock.Now()}); err != nil {
				return err
			}
		}
		st, err = s.load(ctx, tx, id)
		return err
	})
	return st, err
}

// end ends live stream id in tx, by endedBy (0 for the system) for reason,
// and tells its viewers once tx commits; a stream no longer live is a
// Conflict.
func (s *Service) end(ctx context.Context, tx *db.Tx, id, endedBy int64, reason string) error {
	now := s.Clock.Now()
	var by any
	if endedBy != 0 {
		by = endedBy
	}
	res, err := tx.ExecContext(ctx, `UPDATE streams SET state = 'ended', ended_at = $2, ended_by = $3, end_reason = $4 WHERE id = $1 AND state = 'live'`,
		id, db.Millis(now), by, reason)
	if err != nil {
		return fmt.Errorf("live: end stream: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errEnded
	}
	return s.Hub.PublishOnCommit(tx, realtime.StreamTopic(id), "stream.ended", EndNotice{StreamID: id, Reason: reason, EndedAt: now})
}

// Sweep ends the live streams whose reader has been gone for longer than
// the presence timeout and the grace together (LIV-2, as readings end
// after their grace, AGO-3): it first copies each live stream's reader's
// last-seen time from their connections (users.last_seen_at, refreshed
// by every open page), then ends those not seen since the cutoff. It
// returns how many it ended; running it twice, or on two instances at
// once, ends each stream once.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	if _, err := s.DB.Writer.ExecContext(ctx, `UPDATE streams SET reader_seen_at = (SELECT u.last_seen_at FROM users u WHERE u.id = streams.reader_id)
		WHERE state = 'live' AND (SELECT u.last_seen_at FROM users u WHERE u.id = streams.reader_id) > reader_seen_at`); err != nil {
		return 0, fmt.Errorf("live: sweep: %w", err)
	}
	cutoff := now.Add(-s.Config.PresenceTimeout - s.Config.Grace)
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(`SELECT id FROM streams WHERE state = 'live' AND reader_seen_at < $1 ORDER BY id LIMIT %d`,
		streamSweepBatchSize), db.Millis(cutoff))
	if err != nil {
		return 0, fmt.Errorf("live: sweep: %w", err)
	}
	var gone []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("live: sweep: %w", err)
		}
		gone = append(gone, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("live: sweep: %w", err)
	}
	ended := 0
	for _, id := range gone {
		var did bool
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			did = false
			// Seen again since the list was read: not gone after all.
			var seen int64
			if err := tx.QueryRowContext(ctx, `SELECT reader_seen_at FROM streams WHERE id = $1`+s.DB.ForUpdate(), id).Scan(&seen); err != nil {
				return err
			}
			if seen >= db.Millis(cutoff) {
				return nil
			}
			if err := s.end(ctx, tx, id, 0, EndGone); err != nil {
				return err
			}
			did = true
			return nil
		})
		switch {
		case err == nil && did:
			ended++
		case apperr.CodeOf(err) == apperr.Conflict: // ended meanwhile
		case err != nil:
			return ended, fmt.Errorf("live: sweep: end stream %d: %w", id, err)
		}
	}
	return ended, nil
}
