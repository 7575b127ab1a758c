package reader

import (
	"context"
	"fmt"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/notify"
)

// WatchOnline records that client wants to be told when the reader next
// comes online (RDR-7). Asking again changes nothing; asking while the
// reader is online tells the client at the reader's next heartbeat. Only
// clients ask, about a reader they may see and neither has blocked.
func (s *Service) WatchOnline(ctx context.Context, client account.User, readerID int64) error {
	if client.Role != account.RoleClient {
		return apperr.Errorf(apperr.Forbidden, "Only clients can ask to be told when a reader comes online.")
	}
	if _, err := s.Get(ctx, client, readerID); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		blocked, err := block.Blocked(ctx, tx, client.ID, readerID)
		if err != nil {
			return err
		}
		if blocked {
			return block.ErrReaderUnavailable
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO online_watches (client_id, reader_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (client_id, reader_id) DO NOTHING`, client.ID, readerID, db.Millis(s.Clock.Now())); err != nil {
			return fmt.Errorf("reader: watch online: %w", err)
		}
		return nil
	})
}

// UnwatchOnline withdraws client's request about the reader; withdrawing
// one that does not exist changes nothing.
func (s *Service) UnwatchOnline(ctx context.Context, clientID, readerID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM online_watches WHERE client_id = $1 AND reader_id = $2`, clientID, readerID); err != nil {
			return fmt.Errorf("reader: unwatch online: %w", err)
		}
		return nil
	})
}

// WatchingOnline reports whether client waits to be told when the reader
// comes online.
func (s *Service) WatchingOnline(ctx context.Context, clientID, readerID int64) (bool, error) {
	var n int
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM online_watches WHERE client_id = $1 AND reader_id = $2`,
		clientID, readerID).Scan(&n); err != nil {
		return false, fmt.Errorf("reader: watching online: %w", err)
	}
	return n > 0, nil
}

// TellWatchers tells every client waiting for one of readerIDs that is
// online now (RDR-7), inside tx — the transaction that may have brought the
// reader online: a live connection's heartbeat or the reader choosing
// online. Each request is deleted as it is told, so a client is told once
// even when several instances see the reader come online at the same time.
func (s *Service) TellWatchers(ctx context.Context, tx *db.Tx, readerIDs []int64) error {
	type watch struct{ client, reader int64 }
	var told []watch
	for _, chunk := range db.Chunks(readerIDs, 1) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := tx.QueryContext(ctx, `DELETE FROM online_watches WHERE reader_id IN (SELECT p.user_id FROM reader_profiles p
			WHERE p.user_id IN (`+db.Params(len(chunk))+`) AND `+statusSQL(s.presenceCutoff())+` = 'online') RETURNING client_id, reader_id`, args...)
		if err != nil {
			return fmt.Errorf("reader: tell watchers: %w", err)
		}
		for rows.Next() {
			var w watch
			if err := rows.Scan(&w.client, &w.reader); err != nil {
				rows.Close()
				return fmt.Errorf("reader: tell watchers: %w", err)
			}
			told = append(told, w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reader: tell watchers: %w", err)
		}
	}
	names := map[int64]string{}
	for _, w := range told {
		name, ok := names[w.reader]
		if !ok {
			if err := tx.QueryRowContext(ctx, `SELECT display_name FROM users WHERE id = $1`, w.reader).Scan(&name); err != nil {
				return fmt.Errorf("reader: tell watchers: %w", err)
			}
			names[w.reader] = name
		}
		id := strconv.FormatInt(w.reader, 10)
		if err := s.Notify.Send(ctx, tx, notify.Notification{UserID: w.client, Kind: notify.KindReaderOnline,
			Title: name + " is online now",
			Body:  "You asked to be told when " + name + " came online. Request a reading while they are free.",
			URL:   "/readers/" + id, Group: "reader_online:" + id}); err != nil {
			return err
		}
	}
	return nil
}
