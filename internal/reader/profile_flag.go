package reader

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/flag"
)

// ProfileTarget is readers' public profiles, by user id, as items to flag
// and moderate (COM-4, COM-6).
func (s *Service) ProfileTarget() flag.Target { return profileTarget{} }

type profileTarget struct{}

var errNoProfile = apperr.Errorf(apperr.NotFound, "No such profile.")

// Item returns reader id's profile: their name, tagline and bio.
func (profileTarget) Item(ctx context.Context, q db.Querier, id int64) (flag.Item, error) {
	var name, tagline, bio string
	err := q.QueryRowContext(ctx, `SELECT u.display_name, p.tagline, p.bio FROM reader_profiles p JOIN users u ON u.id = p.user_id WHERE p.user_id = $1`, id).
		Scan(&name, &tagline, &bio)
	if errors.Is(err, sql.ErrNoRows) {
		return flag.Item{}, errNoProfile
	}
	if err != nil {
		return flag.Item{}, fmt.Errorf("reader: flagged profile: %w", err)
	}
	text := strings.TrimSpace(strings.Join([]string{name, tagline, bio}, "\n\n"))
	return flag.Item{AuthorID: id, Author: name, Text: text, URL: fmt.Sprintf("/readers/%d", id)}, nil
}

// Remove clears reader id's tagline and bio — what a profile says in the
// reader's own words — which they may write again; the profile stays,
// with their readings and reviews.
func (profileTarget) Remove(ctx context.Context, tx *db.Tx, id int64, _ bool, _ int64, _ time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET tagline = '', bio = '' WHERE user_id = $1`, id)
	return err
}
