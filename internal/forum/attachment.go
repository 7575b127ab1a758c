package forum

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/upload"
)

// Attachment is a file a post carries (COM-3), as pages and the API show
// it.
type Attachment struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Bytes       int64  `json:"bytes"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	URL         string `json:"url"`
	ThumbURL    string `json:"thumb_url,omitempty"`
	Image       bool   `json:"image"`
}

func attachmentOf(u upload.Upload) Attachment {
	return Attachment{ID: u.ID, Name: u.Name, ContentType: u.ContentType, Bytes: u.Bytes, Width: u.Width, Height: u.Height, URL: u.URL(),
		ThumbURL: u.ThumbURL(), Image: u.Image()}
}

// attach attaches author's uploads ids to post id, in order.
func (s *Service) attach(ctx context.Context, tx *db.Tx, author account.User, id int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	ups, err := s.Uploads.Attach(ctx, tx, author, ids)
	if err != nil {
		return err
	}
	for i, u := range ups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO forum_post_uploads (post_id, upload_id, position) VALUES ($1, $2, $3)`, id, u.ID, i); err != nil {
			return err
		}
	}
	return nil
}

// attachments fills in the attachments of posts that show their text.
func (s *Service) attachments(ctx context.Context, posts []Post) error {
	return s.attachmentsIn(ctx, s.DB.Read(), posts)
}

func (s *Service) attachmentsIn(ctx context.Context, q db.Querier, posts []Post) error {
	at := map[int64]int{}
	var ids []string
	for i := range posts {
		posts[i].Attachments = []Attachment{}
		if !posts[i].Hidden && !posts[i].Deleted {
			at[posts[i].ID] = i
			ids = append(ids, strconv.FormatInt(posts[i].ID, 10))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT l.post_id, l.upload_id FROM forum_post_uploads l WHERE l.post_id IN (`+strings.Join(ids, ", ")+`)
		ORDER BY l.post_id, l.position`)
	if err != nil {
		return fmt.Errorf("forum: attachments: %w", err)
	}
	type link struct{ post, upload int64 }
	var links []link
	for rows.Next() {
		var l link
		if err := rows.Scan(&l.post, &l.upload); err != nil {
			rows.Close()
			return fmt.Errorf("forum: attachments: %w", err)
		}
		links = append(links, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("forum: attachments: %w", err)
	}
	uploadIDs := make([]int64, len(links))
	for i, l := range links {
		uploadIDs[i] = l.upload
	}
	ups, err := s.Uploads.Many(ctx, q, uploadIDs)
	if err != nil {
		return err
	}
	for _, l := range links {
		p := &posts[at[l.post]]
		p.Attachments = append(p.Attachments, attachmentOf(ups[l.upload]))
	}
	return nil
}
