package live

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/flag"
)

// MessageTarget is streams' chat messages as items to flag and moderate
// (COM-4, COM-6); a moderator's removal hides the message on every screen
// as the stream's own moderators do (LIV-8).
func (s *Service) MessageTarget() flag.Target { return messageTarget{s} }

type messageTarget struct{ s *Service }

var errNoMessage = apperr.Errorf(apperr.NotFound, "No such message.")

// Item returns chat message id, unless hidden.
func (t messageTarget) Item(ctx context.Context, q db.Querier, id int64) (flag.Item, error) {
	var it flag.Item
	var author sql.NullInt64
	var stream int64
	err := q.QueryRowContext(ctx, `SELECT m.sender_id, COALESCE(u.display_name, ''), m.body, m.stream_id FROM stream_messages m
		LEFT JOIN users u ON u.id = m.sender_id WHERE m.id = $1 AND m.hidden_at IS NULL`, id).Scan(&author, &it.Author, &it.Text, &stream)
	if errors.Is(err, sql.ErrNoRows) {
		return flag.Item{}, errNoMessage
	}
	if err != nil {
		return flag.Item{}, fmt.Errorf("live: flagged message: %w", err)
	}
	it.AuthorID, it.URL = author.Int64, fmt.Sprintf("/streams/%d", stream)
	return it, nil
}

// Remove hides chat message id, deleted or not: a stream's chat keeps no
// other kind of removal.
func (t messageTarget) Remove(ctx context.Context, tx *db.Tx, id int64, _ bool, by int64, at time.Time) error {
	var stream int64
	if err := tx.QueryRowContext(ctx, `SELECT stream_id FROM stream_messages WHERE id = $1`, id).Scan(&stream); err != nil {
		return errNoMessage
	}
	return t.s.hide(ctx, tx, stream, id, by, at)
}
