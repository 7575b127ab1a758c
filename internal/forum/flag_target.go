package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/flag"
)

// PostTarget is the forum's posts as items to flag and moderate (COM-4, COM-6).
func (s *Service) PostTarget() flag.Target { return postTarget{s} }

// ThreadTarget is the forum's threads as items to flag and moderate.
func (s *Service) ThreadTarget() flag.Target { return threadTarget{s} }

type postTarget struct{ s *Service }

// Item returns post id, unless deleted.
func (t postTarget) Item(ctx context.Context, q db.Querier, id int64) (flag.Item, error) {
	var it flag.Item
	var thread int64
	err := q.QueryRowContext(ctx, `SELECT p.author_id, u.display_name, p.body, p.thread_id FROM forum_posts p JOIN users u ON u.id = p.author_id
		JOIN forum_threads t ON t.id = p.thread_id WHERE p.id = $1 AND p.deleted_at IS NULL AND t.deleted_at IS NULL`, id).
		Scan(&it.AuthorID, &it.Author, &it.Text, &thread)
	if errors.Is(err, sql.ErrNoRows) {
		return flag.Item{}, errNoPost
	}
	if err != nil {
		return flag.Item{}, fmt.Errorf("forum: flagged post: %w", err)
	}
	it.URL = fmt.Sprintf("/forum/t/%d#post-%d", thread, id)
	return it, nil
}

// Remove hides post id, or deletes it as its author could (an opening
// post takes its thread with it).
func (t postTarget) Remove(ctx context.Context, tx *db.Tx, id int64, del bool, _ int64, at time.Time) error {
	p, err := t.s.post(ctx, tx, id)
	if err != nil {
		return err
	}
	if !del {
		_, err := tx.ExecContext(ctx, `UPDATE forum_posts SET hidden_at = $1 WHERE id = $2`, db.Millis(at), id)
		return err
	}
	var first int64
	if err := tx.QueryRowContext(ctx, `SELECT min(id) FROM forum_posts WHERE thread_id = $1`, p.ThreadID).Scan(&first); err != nil {
		return err
	}
	if first == id {
		if err := deleteThread(ctx, tx, p.ThreadID, at); err != nil {
			return err
		}
	}
	return deletePost(ctx, tx, p, at)
}

type threadTarget struct{ s *Service }

// Item returns thread id, its title and opening post, unless deleted.
func (t threadTarget) Item(ctx context.Context, q db.Querier, id int64) (flag.Item, error) {
	th, err := t.s.thread(ctx, q, id)
	if err != nil {
		return flag.Item{}, err
	}
	var body string
	if err := q.QueryRowContext(ctx, `SELECT body FROM forum_posts WHERE thread_id = $1 ORDER BY id LIMIT 1`, id).Scan(&body); err != nil {
		return flag.Item{}, fmt.Errorf("forum: flagged thread: %w", err)
	}
	return flag.Item{AuthorID: th.Author.ID, Author: th.Author.DisplayName, Text: th.Title + "\n\n" + body, URL: fmt.Sprintf("/forum/t/%d", id)}, nil
}

// Remove hides or deletes thread id.
func (t threadTarget) Remove(ctx context.Context, tx *db.Tx, id int64, del bool, _ int64, at time.Time) error {
	if _, err := t.s.thread(ctx, tx, id); err != nil {
		return err
	}
	if del {
		return deleteThread(ctx, tx, id, at)
	}
	_, err := tx.ExecContext(ctx, `UPDATE forum_threads SET hidden_at = $1 WHERE id = $2`, db.Millis(at), id)
	return err
}
