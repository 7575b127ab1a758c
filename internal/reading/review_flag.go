package reading

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/flag"
)

// ReviewTarget is readers' reviews, by reading id, as items to flag and
// moderate (COM-4, COM-6).
func (s *Service) ReviewTarget() flag.Target { return reviewTarget{} }

type reviewTarget struct{}

// Item returns the review of reading id, unless a moderator removed it.
func (reviewTarget) Item(ctx context.Context, q db.Querier, id int64) (flag.Item, error) {
	var it flag.Item
	var author sql.NullInt64
	var rating, readerID int64
	err := q.QueryRowContext(ctx, `SELECT v.client_id, COALESCE(u.display_name, ''), v.rating, v.body, v.reader_id FROM reviews v
		LEFT JOIN users u ON u.id = v.client_id WHERE v.reading_id = $1 AND v.hidden_at IS NULL`, id).
		Scan(&author, &it.Author, &rating, &it.Text, &readerID)
	if errors.Is(err, sql.ErrNoRows) {
		return flag.Item{}, errNoReview
	}
	if err != nil {
		return flag.Item{}, fmt.Errorf("reading: flagged review: %w", err)
	}
	it.AuthorID, it.Text, it.URL = author.Int64, fmt.Sprintf("%d/5 — %s", rating, it.Text), fmt.Sprintf("/readers/%d#reviews", readerID)
	return it, nil
}

// Remove takes the review of reading id off the reader's profile; deleting
// also drops its text. Its rating stays counted: the reading happened.
func (reviewTarget) Remove(ctx context.Context, tx *db.Tx, id int64, del bool, _ int64, at time.Time) error {
	q := `UPDATE reviews SET hidden_at = $1 WHERE reading_id = $2`
	if del {
		q = `UPDATE reviews SET hidden_at = $1, body = '' WHERE reading_id = $2`
	}
	_, err := tx.ExecContext(ctx, q, db.Millis(at), id)
	return err
}
