package forum

import (
	"context"
	"fmt"
)

// Post returns post id of a standing thread with the page (from 1) of its
// thread it appears on, so a link to a post lands where it is shown.
func (s *Service) Post(ctx context.Context, id int64) (Post, int, error) {
	p, err := s.post(ctx, s.DB.Read(), id)
	if err != nil {
		return Post{}, 0, err
	}
	var before int
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM forum_posts WHERE thread_id = $1 AND id < $2`, p.ThreadID, id).Scan(&before); err != nil {
		return Post{}, 0, fmt.Errorf("forum: post: %w", err)
	}
	return p, before/PageSize + 1, nil
}
