package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/markup"
)

// Reply adds author's post to thread id (COM-2): a body of 1 to
// MaxBodyLen characters, with the author's uploads attachments (COM-3),
// to a thread that is not locked (admins may still reply) in a category
// author may write in.
func (s *Service) Reply(ctx context.Context, author account.User, id int64, body string, attachments ...int64) (Post, error) {
	fields := map[string]string{}
	checkBody(fields, body)
	if err := apperr.Validation(fields); err != nil {
		return Post{}, err
	}
	var p Post
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		t, err := s.thread(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err := s.category(ctx, tx, `c.id = $1`, t.CategoryID)
		if err != nil {
			return err
		}
		if err := MayReply(author, c, t); err != nil {
			return err
		}
		postID, err := s.insertPost(ctx, tx, id, author, body, attachments, db.Millis(s.Clock.Now()))
		if err != nil {
			return err
		}
		if p, err = s.post(ctx, tx, postID); err != nil {
			return err
		}
		posts := []Post{p}
		err = s.attachmentsIn(ctx, tx, posts)
		p = posts[0]
		return err
	})
	if err != nil {
		return Post{}, fmt.Errorf("forum: reply: %w", err)
	}
	return p, nil
}

var errNoPost = apperr.Errorf(apperr.NotFound, "No such post.")

// post reads post id of a thread that stands.
func (s *Service) post(ctx context.Context, q db.Querier, id int64) (Post, error) {
	p, err := s.scanPost(q.QueryRowContext(ctx, `SELECT `+postColumns+postFrom+` JOIN forum_threads t ON t.id = p.thread_id
		WHERE p.id = $1 AND t.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Post{}, errNoPost
	}
	if err != nil {
		return Post{}, fmt.Errorf("forum: post: %w", err)
	}
	return p, nil
}

// mayChange decides whether who may edit or delete p: its author or an
// admin, while it stands.
func mayChange(who account.User, p Post) error {
	if p.Deleted {
		return apperr.Errorf(apperr.Conflict, "This post has been deleted.")
	}
	if who.ID != p.Author.ID && who.Role != account.RoleAdmin {
		return apperr.Errorf(apperr.Forbidden, "Only its author or an admin can change a post.")
	}
	return nil
}

// EditPost replaces post id's text for its author or an admin (COM-2): the
// post is marked edited and its earlier text kept for moderators; an
// admin's edit of someone else's post is audited.
func (s *Service) EditPost(ctx context.Context, who account.User, id int64, body string) (Post, error) {
	fields := map[string]string{}
	checkBody(fields, body)
	if err := apperr.Validation(fields); err != nil {
		return Post{}, err
	}
	var p Post
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		before, err := s.post(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayChange(who, before); err != nil {
			return err
		}
		if before.Body == body {
			p = before
			return nil
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO forum_post_revisions (post_id, body, edited_by, edited_at) VALUES ($1, $2, $3, $4)`,
			id, before.Body, who.ID, db.Millis(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forum_posts SET body = $1, body_html = $2, edited_at = $3 WHERE id = $4`,
			body, string(markup.Render(body)), db.Millis(now), id); err != nil {
			return err
		}
		if err := s.auditOthers(ctx, tx, who, before, "forum_post.edit", now); err != nil {
			return err
		}
		p, err = s.post(ctx, tx, id)
		return err
	})
	if err != nil {
		return Post{}, fmt.Errorf("forum: edit post: %w", err)
	}
	return p, nil
}

// DeletePost deletes post id for its author or an admin (COM-2): its text
// goes, its place in the thread stays ("deleted"). Deleting a thread's
// first post deletes the thread — by its author only while nobody has
// replied, by an admin always. An admin's deletion of someone else's post
// is audited.
func (s *Service) DeletePost(ctx context.Context, who account.User, id int64) error {
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		p, err := s.post(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayChange(who, p); err != nil {
			return err
		}
		t, err := s.thread(ctx, tx, p.ThreadID)
		if err != nil {
			return err
		}
		var first int64
		if err := tx.QueryRowContext(ctx, `SELECT min(id) FROM forum_posts WHERE thread_id = $1`, t.ID).Scan(&first); err != nil {
			return err
		}
		now := s.Clock.Now()
		if first == id {
			if who.Role != account.RoleAdmin && t.PostCount > 1 {
				return apperr.Errorf(apperr.Conflict, "Others have replied to this thread, so its opening post stays; you can edit it instead.")
			}
			if err := deleteThread(ctx, tx, t.ID, now); err != nil {
				return err
			}
		}
		if err := deletePost(ctx, tx, p, now); err != nil {
			return err
		}
		return s.auditOthers(ctx, tx, who, p, "forum_post.delete", now)
	})
	if err != nil {
		return fmt.Errorf("forum: delete post: %w", err)
	}
	return nil
}

// deletePost takes p's text and leaves its place, and no longer counts
// it in its thread.
func deletePost(ctx context.Context, tx *db.Tx, p Post, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE forum_posts SET body = '', body_html = '', deleted_at = $1 WHERE id = $2`, db.Millis(now), p.ID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE forum_threads SET post_count = post_count - 1,
		last_post_at = COALESCE((SELECT max(created_at) FROM forum_posts WHERE thread_id = $1 AND deleted_at IS NULL), created_at)
		WHERE id = $1`, p.ThreadID)
	return err
}

// deleteThread deletes thread id: it is shown to no one and not found.
func deleteThread(ctx context.Context, tx *db.Tx, id int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE forum_threads SET deleted_at = $1 WHERE id = $2`, db.Millis(now), id)
	return err
}

// auditOthers records an admin's change to another user's post (SEC-4).
func (s *Service) auditOthers(ctx context.Context, tx *db.Tx, who account.User, p Post, action string, at time.Time) error {
	if who.ID == p.Author.ID {
		return nil
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: who.ID, Action: action, Model: "forum_post", ObjectID: strconv.FormatInt(p.ID, 10),
		Details: map[string]any{"thread_id": p.ThreadID, "author_id": p.Author.ID, "body": p.Body}, At: at})
}

// Revision is an earlier text of an edited post.
type Revision struct {
	Body     string    `json:"body"`
	EditedBy int64     `json:"edited_by"`
	EditedAt time.Time `json:"edited_at"`
}

// Revisions lists the earlier texts of post id, oldest first, for admins
// (COM-2: moderators see what a post said before it was edited).
func (s *Service) Revisions(ctx context.Context, admin account.User, id int64) ([]Revision, error) {
	if err := mustAdmin(admin); err != nil {
		return nil, err
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT body, edited_by, edited_at FROM forum_post_revisions WHERE post_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("forum: revisions: %w", err)
	}
	defer rows.Close()
	out := []Revision{}
	for rows.Next() {
		var r Revision
		var at int64
		if err := rows.Scan(&r.Body, &r.EditedBy, &at); err != nil {
			return nil, fmt.Errorf("forum: revisions: %w", err)
		}
		r.EditedAt = db.Time(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
