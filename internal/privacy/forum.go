package privacy

import (
	"context"
	"errors"

	"github.com/soulseer/soulseer/internal/db"
)

// forumFile is forum.json.
type forumFile struct {
	Threads     []threadData   `json:"threads"`
	Posts       []postData     `json:"posts"`
	Uploads     []uploadData   `json:"uploads"`
	ReadMarkers []readMarkData `json:"read_markers"`
}

type threadData struct {
	ID        int64  `json:"id"`
	Category  string `json:"category"`
	Title     string `json:"title"`
	Pinned    bool   `json:"pinned"`
	Locked    bool   `json:"locked"`
	PostCount int    `json:"post_count"`
	CreatedAt stamp  `json:"created_at"`
	DeletedAt stamp  `json:"deleted_at"`
	HiddenAt  stamp  `json:"hidden_at"`
}

type postData struct {
	ID             int64          `json:"id"`
	ThreadID       int64          `json:"thread_id"`
	Body           string         `json:"body"` // Markdown; "" once deleted
	CreatedAt      stamp          `json:"created_at"`
	EditedAt       stamp          `json:"edited_at"`
	DeletedAt      stamp          `json:"deleted_at"`
	HiddenAt       stamp          `json:"hidden_at"`
	EarlierVersion []revisionData `json:"earlier_versions"`
}

type revisionData struct {
	Body     string `json:"body"`
	EditedAt stamp  `json:"edited_at"`

	of int64
}

type uploadData struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	ContentType string   `json:"content_type"`
	Bytes       int64    `json:"bytes"`
	Width       int      `json:"width"`
	Height      int      `json:"height"`
	PostID      optional `json:"post_id"` // the post it is attached to
	CreatedAt   stamp    `json:"created_at"`
	AttachedAt  stamp    `json:"attached_at"`
}

type readMarkData struct {
	ThreadID   int64 `json:"thread_id"`
	LastPostID int64 `json:"last_post_id"`
	ReadAt     stamp `json:"read_at"`
}

// readForum reads forum.json: threads the person started, their posts
// with every earlier version of each, their uploads (details, not the
// files) and how far they read each thread.
func readForum(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f forumFile
	var errs [5]error
	var revisions []revisionData
	f.Threads, errs[0] = list(ctx, q, `SELECT t.id, c.name, t.title, t.pinned, t.locked, t.post_count, t.created_at, t.deleted_at, t.hidden_at
		FROM forum_threads t JOIN forum_categories c ON c.id = t.category_id WHERE t.author_id = $1 ORDER BY t.id`,
		func(r db.Row, x *threadData) error {
			return r.Scan(&x.ID, &x.Category, &x.Title, &x.Pinned, &x.Locked, &x.PostCount, &x.CreatedAt, &x.DeletedAt, &x.HiddenAt)
		}, userID)
	f.Posts, errs[1] = list(ctx, q, `SELECT id, thread_id, body, created_at, edited_at, deleted_at, hidden_at FROM forum_posts
		WHERE author_id = $1 ORDER BY id`,
		func(r db.Row, x *postData) error {
			return r.Scan(&x.ID, &x.ThreadID, &x.Body, &x.CreatedAt, &x.EditedAt, &x.DeletedAt, &x.HiddenAt)
		}, userID)
	revisions, errs[2] = list(ctx, q, `SELECT v.post_id, v.body, v.edited_at FROM forum_post_revisions v JOIN forum_posts p ON p.id = v.post_id
		WHERE p.author_id = $1 ORDER BY v.post_id, v.id`,
		func(r db.Row, x *revisionData) error { return r.Scan(&x.of, &x.Body, &x.EditedAt) }, userID)
	f.Uploads, errs[3] = list(ctx, q, `SELECT u.id, u.name, u.content_type, u.bytes, u.width, u.height, a.post_id, u.created_at, u.attached_at
		FROM uploads u LEFT JOIN forum_post_uploads a ON a.upload_id = u.id WHERE u.owner_id = $1 ORDER BY u.id`,
		func(r db.Row, x *uploadData) error {
			return r.Scan(&x.ID, &x.Name, &x.ContentType, &x.Bytes, &x.Width, &x.Height, &x.PostID, &x.CreatedAt, &x.AttachedAt)
		}, userID)
	f.ReadMarkers, errs[4] = list(ctx, q, `SELECT thread_id, last_post_id, read_at FROM forum_reads WHERE user_id = $1 ORDER BY thread_id`,
		func(r db.Row, x *readMarkData) error { return r.Scan(&x.ThreadID, &x.LastPostID, &x.ReadAt) }, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	byPost := groupBy(revisions, func(v revisionData) int64 { return v.of })
	for i := range f.Posts {
		f.Posts[i].EarlierVersion = orEmpty(byPost[f.Posts[i].ID])
	}
	return f, nil
}
