package forum

import (
	"context"
	"fmt"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// ThreadChange is what an admin changes about a thread; nil leaves it.
type ThreadChange struct {
	Pinned       *bool
	Locked       *bool
	CategorySlug *string // move the thread there
}

// ChangeThread pins or unpins, locks or unlocks, or moves thread id to
// another category for admin (COM-2), audited with what it was before.
func (s *Service) ChangeThread(ctx context.Context, admin account.User, id int64, ch ThreadChange) (Thread, error) {
	if err := mustAdmin(admin); err != nil {
		return Thread{}, err
	}
	var t Thread
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		before, err := s.thread(ctx, tx, id)
		if err != nil {
			return err
		}
		pinned, locked, category := before.Pinned, before.Locked, before.CategoryID
		if ch.Pinned != nil {
			pinned = *ch.Pinned
		}
		if ch.Locked != nil {
			locked = *ch.Locked
		}
		if ch.CategorySlug != nil {
			c, err := s.category(ctx, tx, `c.slug = $1`, *ch.CategorySlug)
			if err != nil {
				return err
			}
			category = c.ID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forum_threads SET pinned = $1, locked = $2, category_id = $3 WHERE id = $4`,
			pinned, locked, category, id); err != nil {
			return err
		}
		if t, err = s.thread(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "forum_thread.update", Model: "forum_thread",
			ObjectID: strconv.FormatInt(id, 10), At: s.Clock.Now(), Details: map[string]any{
				"pinned": t.Pinned, "locked": t.Locked, "category": t.CategorySlug,
				"before": map[string]any{"pinned": before.Pinned, "locked": before.Locked, "category": before.CategorySlug}}})
	})
	if err != nil {
		return Thread{}, fmt.Errorf("forum: change thread: %w", err)
	}
	return t, nil
}
