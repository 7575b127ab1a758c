package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/markup"
)

// Author is who wrote a thread or post, with the badge readers wear.
type Author struct {
	ID          int64  `json:"id"`
	DisplayName string `json:"display_name"`
	Reader      bool   `json:"reader"`
}

// Thread is a conversation in a category (COM-2).
type Thread struct {
	ID           int64     `json:"id"`
	CategoryID   int64     `json:"category_id"`
	CategorySlug string    `json:"category_slug"`
	CategoryName string    `json:"category_name"`
	Author       Author    `json:"author"`
	Title        string    `json:"title"`
	Pinned       bool      `json:"pinned"`
	Locked       bool      `json:"locked"`
	PostCount    int       `json:"post_count"`
	LastPostAt   time.Time `json:"last_post_at"`
	CreatedAt    time.Time `json:"created_at"`
	Flagged      bool      `json:"flagged"` // has pending flags: shown behind a warning (COM-7)
	Hidden       bool      `json:"hidden"`  // hidden by a moderator or by its flags: its posts are not shown
}

// Post is one post of a thread: what its author wrote and its rendering.
// A deleted post has neither.
type Post struct {
	ID        int64         `json:"id"`
	ThreadID  int64         `json:"thread_id"`
	Author    Author        `json:"author"`
	Body      string        `json:"body"`
	BodyHTML  template.HTML `json:"body_html"`
	CreatedAt time.Time     `json:"created_at"`
	EditedAt  *time.Time    `json:"edited_at"`
	Deleted   bool          `json:"deleted"`
	Flagged   bool          `json:"flagged"` // has pending flags: shown behind a warning (COM-7)
	Hidden    bool          `json:"hidden"`  // hidden by a moderator or by its flags: no text is shown
	// Attachments are the files the post carries (COM-3); none once it
	// is hidden or deleted.
	Attachments []Attachment `json:"attachments"`
}

// Sort orders a category's threads; pinned threads always come first.
type Sort string

// The orders a category's threads can be listed in.
const (
	Active Sort = "active" // latest post first
	Newest Sort = "newest" // latest thread first
	Top    Sort = "top"    // most posts first
)

var sortSQL = map[Sort]string{
	Active: "t.last_post_at DESC, t.id DESC",
	Newest: "t.created_at DESC, t.id DESC",
	Top:    "t.post_count DESC, t.last_post_at DESC, t.id DESC",
}

var threadColumns = `t.id, t.category_id, c.slug, c.name, t.author_id, u.display_name, u.role, t.title, t.pinned, t.locked,
	t.post_count, t.last_post_at, t.created_at, ` + threadFlags + `, t.hidden_at`

// pendingFlags counts the pending flags of the forum item of target type
// typ whose id is the SQL expression id.
func pendingFlags(typ, id string) string {
	return `(SELECT count(*) FROM flags f WHERE f.target_type = '` + typ + `' AND f.target_id = ` + id + ` AND f.status = 'pending')`
}

var (
	threadFlags = pendingFlags(TargetThread, "t.id")
	postFlags   = pendingFlags(TargetPost, "p.id")
)

// shown is the SQL condition that the item alias a (t or p) is neither
// hidden by a moderator nor by as many pending flags (flags) as HideAfter.
func (s *Service) shown(a, flags string) string {
	return fmt.Sprintf(`(%s.hidden_at IS NULL AND %s < %d)`, a, flags, s.hideAfter())
}

func (s *Service) hideAfter() int {
	if s.HideAfter > 0 {
		return s.HideAfter
	}
	return DefaultHideAfter
}

const threadFrom = ` FROM forum_threads t JOIN forum_categories c ON c.id = t.category_id JOIN users u ON u.id = t.author_id`

func (s *Service) scanThread(row interface{ Scan(...any) error }) (Thread, error) {
	var t Thread
	var role string
	var last, created int64
	var flags int
	var hidden sql.NullInt64
	if err := row.Scan(&t.ID, &t.CategoryID, &t.CategorySlug, &t.CategoryName, &t.Author.ID, &t.Author.DisplayName, &role, &t.Title,
		&t.Pinned, &t.Locked, &t.PostCount, &last, &created, &flags, &hidden); err != nil {
		return Thread{}, err
	}
	t.Author.Reader = account.Role(role) == account.RoleReader
	t.LastPostAt, t.CreatedAt = db.Time(last), db.Time(created)
	t.Flagged, t.Hidden = flags > 0, hidden.Valid || flags >= s.hideAfter()
	return t, nil
}

var errNoThread = apperr.Errorf(apperr.NotFound, "No such thread.")

// thread reads thread id, unless deleted.
func (s *Service) thread(ctx context.Context, q db.Querier, id int64) (Thread, error) {
	t, err := s.scanThread(q.QueryRowContext(ctx, `SELECT `+threadColumns+threadFrom+` WHERE t.id = $1 AND t.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Thread{}, errNoThread
	}
	if err != nil {
		return Thread{}, fmt.Errorf("forum: thread: %w", err)
	}
	return t, nil
}

// Threads lists a page (from 1) of category slug's threads in order, pinned
// ones first, and whether there are more; hidden threads are left out
// (COM-7).
func (s *Service) Threads(ctx context.Context, slug string, order Sort, page int) (Category, []Thread, bool, error) {
	c, err := s.CategoryBySlug(ctx, slug)
	if err != nil {
		return Category{}, nil, false, err
	}
	by, ok := sortSQL[order]
	if !ok {
		return Category{}, nil, false, apperr.Validation(map[string]string{"sort": "Sort by active, newest or top."})
	}
	page = max(page, 1)
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(`SELECT `+threadColumns+threadFrom+` WHERE t.category_id = $1 AND t.deleted_at IS NULL
		AND %s ORDER BY t.pinned DESC, %s LIMIT %d OFFSET %d`, s.shown("t", threadFlags), by, PageSize+1, (page-1)*PageSize), c.ID)
	if err != nil {
		return Category{}, nil, false, fmt.Errorf("forum: threads: %w", err)
	}
	defer rows.Close()
	out := []Thread{}
	for rows.Next() {
		t, err := s.scanThread(rows)
		if err != nil {
			return Category{}, nil, false, fmt.Errorf("forum: threads: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return Category{}, nil, false, fmt.Errorf("forum: threads: %w", err)
	}
	more := len(out) > PageSize
	return c, out[:min(len(out), PageSize)], more, nil
}

var postColumns = `p.id, p.thread_id, p.author_id, u.display_name, u.role, p.body, p.body_html, p.created_at, p.edited_at, p.deleted_at, ` +
	postFlags + `, p.hidden_at`

const postFrom = ` FROM forum_posts p JOIN users u ON u.id = p.author_id`

func (s *Service) scanPost(row interface{ Scan(...any) error }) (Post, error) {
	var p Post
	var role, html string
	var created int64
	var flags int
	var edited, deleted, hidden sql.NullInt64
	if err := row.Scan(&p.ID, &p.ThreadID, &p.Author.ID, &p.Author.DisplayName, &role, &p.Body, &html, &created, &edited, &deleted,
		&flags, &hidden); err != nil {
		return Post{}, err
	}
	p.Author.Reader = account.Role(role) == account.RoleReader
	p.BodyHTML = template.HTML(html) // rendered through markup.Render when written
	p.CreatedAt, p.EditedAt, p.Deleted = db.Time(created), optTime(edited), deleted.Valid
	p.Flagged, p.Hidden = flags > 0, hidden.Valid || flags >= s.hideAfter()
	return p, nil
}

// conceal takes the text out of a hidden post, as everyone sees it until a
// moderator decides (COM-7); moderators read it in the queue.
func (p *Post) conceal() {
	p.Hidden, p.Body, p.BodyHTML = true, "", ""
	p.Attachments = []Attachment{}
}

// Thread returns thread id with a page (from 1) of its posts, oldest first,
// and whether there are more. A hidden post — or every post of a hidden
// thread — comes without its text (COM-7).
func (s *Service) Thread(ctx context.Context, id int64, page int) (Thread, []Post, bool, error) {
	t, err := s.thread(ctx, s.DB.Read(), id)
	if err != nil {
		return Thread{}, nil, false, err
	}
	page = max(page, 1)
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(`SELECT `+postColumns+postFrom+` WHERE p.thread_id = $1 ORDER BY p.id LIMIT %d OFFSET %d`,
		PageSize+1, (page-1)*PageSize), id)
	if err != nil {
		return Thread{}, nil, false, fmt.Errorf("forum: posts: %w", err)
	}
	defer rows.Close()
	out := []Post{}
	for rows.Next() {
		p, err := s.scanPost(rows)
		if err != nil {
			return Thread{}, nil, false, fmt.Errorf("forum: posts: %w", err)
		}
		if p.Hidden || t.Hidden {
			p.conceal()
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return Thread{}, nil, false, fmt.Errorf("forum: posts: %w", err)
	}
	more := len(out) > PageSize
	out = out[:min(len(out), PageSize)]
	if err := s.attachments(ctx, out); err != nil {
		return Thread{}, nil, false, err
	}
	return t, out, more, nil
}

// ThreadInput is a new thread: its title and first post.
type ThreadInput struct {
	Title       string
	Body        string
	Attachments []int64 // the author's uploads the first post carries
}

// CreateThread starts a thread in category slug for author (COM-2) with
// its first post: a title of 1 to MaxTitleLen characters and a body of 1 to
// MaxBodyLen. The category must be open, and readers-only ones take
// threads from readers and admins only.
func (s *Service) CreateThread(ctx context.Context, author account.User, slug string, in ThreadInput) (Thread, error) {
	in.Title = strings.TrimSpace(in.Title)
	fields := map[string]string{}
	if n := utf8.RuneCountInString(in.Title); n == 0 || n > MaxTitleLen {
		fields["title"] = fmt.Sprintf("Give the thread a title of 1 to %d characters.", MaxTitleLen)
	}
	checkBody(fields, in.Body)
	if err := apperr.Validation(fields); err != nil {
		return Thread{}, err
	}
	c, err := s.CategoryBySlug(ctx, slug)
	if err != nil {
		return Thread{}, err
	}
	if err := mayWrite(author, c); err != nil {
		return Thread{}, err
	}
	var t Thread
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO forum_threads (category_id, author_id, title, post_count, last_post_at, created_at)
			VALUES ($1, $2, $3, 0, $4, $4) RETURNING id`, c.ID, author.ID, in.Title, now).Scan(&id); err != nil {
			return err
		}
		if _, err := s.insertPost(ctx, tx, id, author, in.Body, in.Attachments, now); err != nil {
			return err
		}
		var err error
		t, err = s.thread(ctx, tx, id)
		return err
	})
	if err != nil {
		return Thread{}, fmt.Errorf("forum: create thread: %w", err)
	}
	return t, nil
}

// mayWrite decides whether u may start threads and reply in c: signed in,
// c open, and a reader or admin where c is readers-only.
func mayWrite(u account.User, c Category) error {
	switch {
	case u.ID == 0:
		return apperr.Errorf(apperr.Unauthorized, "Please log in to post.")
	case c.ArchivedAt != nil:
		return apperr.Errorf(apperr.Conflict, "%s is archived: it can be read but takes no new posts.", c.Name)
	case c.ReadersOnly && u.Role != account.RoleReader && u.Role != account.RoleAdmin:
		return apperr.Errorf(apperr.Forbidden, "Only readers post in %s.", c.Name)
	}
	return nil
}

// checkBody records in fields a post's body that is empty or too long.
func checkBody(fields map[string]string, body string) {
	if strings.TrimSpace(body) == "" || utf8.RuneCountInString(body) > MaxBodyLen {
		fields["body"] = fmt.Sprintf("Write 1 to %d characters.", MaxBodyLen)
	}
}

// insertPost stores a post with its rendering and its author's uploads
// attachments, and counts it in its thread.
func (s *Service) insertPost(ctx context.Context, tx *db.Tx, threadID int64, author account.User, body string, attachments []int64, now int64) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO forum_posts (thread_id, author_id, body, body_html, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		threadID, author.ID, body, string(markup.Render(body)), now).Scan(&id); err != nil {
		return 0, err
	}
	if err := s.attach(ctx, tx, author, id, attachments); err != nil {
		return 0, err
	}
	if err := markRead(ctx, tx, author.ID, threadID, id, now); err != nil { // one has read what one wrote
		return 0, err
	}
	_, err := tx.ExecContext(ctx, `UPDATE forum_threads SET post_count = post_count + 1, last_post_at = $1 WHERE id = $2`, now, threadID)
	return id, err
}
