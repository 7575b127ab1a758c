package reading

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/realtime"
)

// JoinQueue puts a client in a busy reader's queue (OD-15) and returns
// their position (1 = next). Joining again keeps the place. A client and a
// reader either of whom blocked the other cannot queue (ACC-6).
func (s *Service) JoinQueue(ctx context.Context, client account.User, readerID int64, m reader.Modality) (int, error) {
	if _, ok := reader.ParseModality(string(m)); !ok {
		return 0, apperr.Validation(map[string]string{"modality": "Choose text, voice or video."})
	}
	p, err := s.Readers.Get(ctx, client, readerID)
	if err != nil {
		return 0, err
	}
	if err := refuseBlocked(ctx, s.DB.Read(), client.ID, readerID); err != nil {
		return 0, err
	}
	if !p.IsVerified || p.Rates.For(m) == 0 {
		return 0, apperr.Validation(map[string]string{"modality": fmt.Sprintf("%s does not offer %s readings.", p.DisplayName, m)})
	}
	if readerID == client.ID {
		return 0, apperr.Errorf(apperr.Invalid, "You cannot queue for yourself.")
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO reading_queue (reader_id, client_id, modality, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (reader_id, client_id) DO NOTHING`, readerID, client.ID, m, db.Millis(s.Clock.Now()))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reading: join queue: %w", err)
	}
	return s.QueuePosition(ctx, client.ID, readerID)
}

// refuseBlocked answers a client who would reach a reader when either has
// blocked the other: the reader is not available, whoever blocked whom.
func refuseBlocked(ctx context.Context, q db.Querier, clientID, readerID int64) error {
	blocked, err := block.Blocked(ctx, q, clientID, readerID)
	if err != nil {
		return err
	}
	if blocked {
		return block.ErrReaderUnavailable
	}
	return nil
}

// LeaveQueue takes a client out of a reader's queue.
func (s *Service) LeaveQueue(ctx context.Context, client account.User, readerID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM reading_queue WHERE reader_id = $1 AND client_id = $2`, readerID, client.ID)
		return err
	})
}

// QueuePosition is the client's place in the reader's queue, 0 if not in it.
func (s *Service) QueuePosition(ctx context.Context, clientID, readerID int64) (int, error) {
	var pos int
	err := s.DB.Read().QueryRowContext(ctx, `SELECT CASE WHEN EXISTS (SELECT 1 FROM reading_queue WHERE reader_id = $1 AND client_id = $2)
		THEN (SELECT count(*) FROM reading_queue q WHERE q.reader_id = $1 AND q.id <= (SELECT id FROM reading_queue WHERE reader_id = $1 AND client_id = $2))
		ELSE 0 END`, readerID, clientID).Scan(&pos)
	if err != nil {
		return 0, fmt.Errorf("reading: queue position: %w", err)
	}
	return pos, nil
}

// notifyQueue tells everyone queued for a reader, once the reading that kept
// the reader busy ends, their new position; the first is told it is their
// turn.
func (s *Service) notifyQueue(ctx context.Context, tx *db.Tx, readerID int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT client_id FROM reading_queue WHERE reader_id = $1 ORDER BY id LIMIT 50`, readerID)
	if err != nil {
		return err
	}
	var clients []int64
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		clients = append(clients, c)
	}
	rows.Close()
	for i, c := range clients {
		if err := s.Hub.PublishOnCommit(tx, realtime.UserTopic(c), "queue.position", map[string]any{
			"reader_id": readerID, "position": i + 1, "your_turn": i == 0,
		}); err != nil {
			return err
		}
	}
	return rows.Err()
}
