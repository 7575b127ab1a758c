package upload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// MaxAttachments bounds the uploads one post carries.
const MaxAttachments = 10

// Attach marks owner's uploads ids as attached inside tx, so the cleanup
// job keeps them, and returns them in order. Each must be owner's, not
// attached to anything yet, and named once; at most MaxAttachments. Any
// other list is refused naming the field "attachment_ids".
func (s *Service) Attach(ctx context.Context, tx *db.Tx, owner account.User, ids []int64) ([]Upload, error) {
	bad := func(msg string) error { return apperr.Validation(map[string]string{"attachment_ids": msg}) }
	if len(ids) > MaxAttachments {
		return nil, bad(fmt.Sprintf("Attach at most %d files to a post.", MaxAttachments))
	}
	out := make([]Upload, 0, len(ids))
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			return nil, bad("Attach each file once.")
		}
		u, err := scanUpload(tx.QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE id = $1`, id))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("upload: attach: %w", err)
		}
		if err != nil || u.OwnerID != owner.ID || u.Attached {
			return nil, bad("Attach only files you have just uploaded.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE uploads SET attached_at = $1 WHERE id = $2`, db.Millis(s.Clock.Now()), id); err != nil {
			return nil, fmt.Errorf("upload: attach: %w", err)
		}
		out = append(out, u)
	}
	return out, nil
}
