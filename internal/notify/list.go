package notify

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// Item is a stored notification as its recipient sees it.
type Item struct {
	ID        int64     `json:"id"`
	Kind      Kind      `json:"kind"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	URL       string    `json:"url"`
	Read      bool      `json:"read"`
	CreatedAt time.Time `json:"created_at"`
}

// Paging limits of List.
const (
	DefaultListLimit = 20
	MaxListLimit     = 100
)

// ListFilter selects a page of a person's notifications, newest first.
type ListFilter struct {
	Before     int64 // only notifications with a smaller id (the last id of the previous page); 0 for the newest
	Limit      int   // 1 … MaxListLimit; 0 means DefaultListLimit
	UnreadOnly bool
}

// Validate reports field errors of f.
func (f ListFilter) Validate() error {
	fields := map[string]string{}
	if f.Before < 0 {
		fields["before"] = "Use the id of the last notification shown."
	}
	if f.Limit < 0 || f.Limit > MaxListLimit {
		fields["limit"] = fmt.Sprintf("Use a number from 1 to %d.", MaxListLimit)
	}
	return apperr.Validation(fields)
}

// List returns a page of the in-app notifications of userID, newest first.
func (s *Service) List(ctx context.Context, userID int64, f ListFilter) ([]Item, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit == 0 {
		limit = DefaultListLimit
	}
	where := "user_id = $1 AND in_app"
	args := []any{userID}
	if f.Before > 0 {
		args = append(args, f.Before)
		where += " AND id < $2"
	}
	if f.UnreadOnly {
		where += " AND read_at IS NULL"
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT id, kind, title, body, url, read_at, created_at FROM notifications
		WHERE `+where+` ORDER BY id DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("notify: list: %w", err)
	}
	defer rows.Close()
	out := []Item{}
	for rows.Next() {
		var it Item
		var read sql.NullInt64
		var created int64
		if err := rows.Scan(&it.ID, &it.Kind, &it.Title, &it.Body, &it.URL, &read, &created); err != nil {
			return nil, fmt.Errorf("notify: list: %w", err)
		}
		it.Read, it.CreatedAt = read.Valid, db.Time(created)
		out = append(out, it)
	}
	return out, rows.Err()
}

// Unread returns how many in-app notifications of userID are unread: the
// number on the bell.
func (s *Service) Unread(ctx context.Context, userID int64) (int, error) {
	return unreadCount(ctx, s.DB.Read(), userID)
}

func unreadCount(ctx context.Context, q db.Querier, userID int64) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND in_app AND read_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("notify: unread count: %w", err)
	}
	return n, nil
}

// MaxMarkIDs bounds how many notifications one MarkRead names.
const MaxMarkIDs = 100

// ReadEvent is the live event "notification.read" on a person's user topic
// after they marked notifications read, so every open page's bell agrees.
type ReadEvent struct {
	IDs    []int64 `json:"ids"` // empty when all were marked
	Unread int     `json:"unread"`
}

// MarkRead marks notifications of userID read — those in ids, or all of
// them when ids is nil — and returns the unread count after. Ids of other
// people's notifications, or of none, change nothing. Every open page of
// the person hears the new count.
func (s *Service) MarkRead(ctx context.Context, userID int64, ids []int64) (int, error) {
	if ids != nil && (len(ids) == 0 || len(ids) > MaxMarkIDs) {
		return 0, apperr.Validation(map[string]string{"ids": fmt.Sprintf("Name from 1 to %d notifications, or mark all.", MaxMarkIDs)})
	}
	for _, id := range ids {
		if id <= 0 {
			return 0, apperr.Validation(map[string]string{"ids": "Use the ids of your notifications."})
		}
	}
	var unread int
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		// The ids come first, so they are $1 … $n.
		args := make([]any, 0, len(ids)+2)
		where := ""
		for _, id := range ids {
			args = append(args, id)
		}
		if ids != nil {
			where = " AND id IN (" + db.Params(len(ids)) + ")"
		}
		args = append(args, db.Millis(s.Clock.Now()), userID)
		at, user := "$"+strconv.Itoa(len(ids)+1), "$"+strconv.Itoa(len(ids)+2)
		if _, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = `+at+` WHERE user_id = `+user+` AND read_at IS NULL`+where, args...); err != nil {
			return fmt.Errorf("notify: mark read: %w", err)
		}
		var err error
		if unread, err = unreadCount(ctx, tx, userID); err != nil {
			return err
		}
		return s.Hub.PublishOnCommit(tx, realtime.UserTopic(userID), "notification.read", ReadEvent{IDs: ids, Unread: unread})
	})
	return unread, err
}
