package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// Category is a section of the forum (COM-1).
type Category struct {
	ID          int64      `json:"id"`
	Slug        string     `json:"slug"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	ReadersOnly bool       `json:"readers_only"`
	SortOrder   int        `json:"sort_order"`
	ArchivedAt  *time.Time `json:"archived_at"`
	ThreadCount int        `json:"thread_count"`
	LastPostAt  *time.Time `json:"last_post_at"`
}

// CategoryInput is a category as an admin writes it: every field, for a
// new category or in place of an existing one's.
type CategoryInput struct {
	Name        string
	Slug        string
	Description string
	ReadersOnly bool
	SortOrder   int
	Archived    bool
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// check validates a category: a name of 1 to MaxCategoryNameLen
// characters, a slug of lower-case letters, digits and single hyphens
// (made from the name when empty), a description of at most
// MaxDescriptionLen.
func (in *CategoryInput) check() error {
	in.Name, in.Slug, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Slug), strings.TrimSpace(in.Description)
	if in.Slug == "" {
		in.Slug = Slugify(in.Name)
	}
	fields := map[string]string{}
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > MaxCategoryNameLen {
		fields["name"] = fmt.Sprintf("Give the category a name of 1 to %d characters.", MaxCategoryNameLen)
	}
	if len(in.Slug) > MaxSlugLen || !slugPattern.MatchString(in.Slug) {
		fields["slug"] = fmt.Sprintf("Use up to %d lower-case letters, digits and single hyphens, such as tarot-talk.", MaxSlugLen)
	}
	if utf8.RuneCountInString(in.Description) > MaxDescriptionLen {
		fields["description"] = fmt.Sprintf("Keep the description to %d characters.", MaxDescriptionLen)
	}
	return apperr.Validation(fields)
}

// Slugify makes an address from a name: lower-case letters and digits,
// words joined by single hyphens.
func Slugify(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > MaxSlugLen {
		s = strings.TrimRight(s[:MaxSlugLen], "-")
	}
	return s
}

const categoryColumns = `c.id, c.slug, c.name, c.description, c.readers_only, c.sort_order, c.archived_at,
	(SELECT count(*) FROM forum_threads t WHERE t.category_id = c.id AND t.deleted_at IS NULL),
	(SELECT max(t.last_post_at) FROM forum_threads t WHERE t.category_id = c.id AND t.deleted_at IS NULL)`

func scanCategory(row interface{ Scan(...any) error }) (Category, error) {
	var c Category
	var archived, last sql.NullInt64
	if err := row.Scan(&c.ID, &c.Slug, &c.Name, &c.Description, &c.ReadersOnly, &c.SortOrder, &archived, &c.ThreadCount, &last); err != nil {
		return Category{}, err
	}
	c.ArchivedAt, c.LastPostAt = optTime(archived), optTime(last)
	return c, nil
}

func optTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := db.Time(v.Int64)
	return &t
}

// Categories lists the forum's categories in the index's order: the open
// ones, or with archived also the archived ones (for admins).
func (s *Service) Categories(ctx context.Context, archived bool) ([]Category, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+categoryColumns+` FROM forum_categories c
		WHERE c.archived_at IS NULL OR $1 ORDER BY c.sort_order, c.name, c.id`, archived)
	if err != nil {
		return nil, fmt.Errorf("forum: categories: %w", err)
	}
	defer rows.Close()
	out := []Category{}
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, fmt.Errorf("forum: categories: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

var errNoCategory = apperr.Errorf(apperr.NotFound, "No such category.")

// CategoryBySlug returns the category at slug, archived or not.
func (s *Service) CategoryBySlug(ctx context.Context, slug string) (Category, error) {
	return s.category(ctx, s.DB.Read(), `c.slug = $1`, slug)
}

func (s *Service) category(ctx context.Context, q db.Querier, where string, arg any) (Category, error) {
	c, err := scanCategory(q.QueryRowContext(ctx, `SELECT `+categoryColumns+` FROM forum_categories c WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Category{}, errNoCategory
	}
	if err != nil {
		return Category{}, fmt.Errorf("forum: category: %w", err)
	}
	return c, nil
}

// CreateCategory adds a category for admin (COM-1), audited. A slug
// already taken is a Conflict naming the field.
func (s *Service) CreateCategory(ctx context.Context, admin account.User, in CategoryInput) (Category, error) {
	if err := mustAdmin(admin); err != nil {
		return Category{}, err
	}
	if err := in.check(); err != nil {
		return Category{}, err
	}
	var c Category
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO forum_categories (slug, name, description, readers_only, sort_order, archived_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, in.Slug, in.Name, in.Description, in.ReadersOnly, in.SortOrder,
			archivedAt(in.Archived, now), now).Scan(&id)
		if s.DB.IsUniqueViolation(err) {
			return slugTaken(in.Slug)
		}
		if err != nil {
			return err
		}
		if c, err = s.category(ctx, tx, `c.id = $1`, id); err != nil {
			return err
		}
		return recordCategory(ctx, tx, admin, "forum_category.create", c, nil, s.Clock.Now())
	})
	if err != nil {
		return Category{}, fmt.Errorf("forum: create category: %w", err)
	}
	return c, nil
}

// UpdateCategory replaces category id's fields for admin (COM-1): rename,
// describe, reorder, make readers-only, archive or bring back; audited
// with what it was before.
func (s *Service) UpdateCategory(ctx context.Context, admin account.User, id int64, in CategoryInput) (Category, error) {
	if err := mustAdmin(admin); err != nil {
		return Category{}, err
	}
	if err := in.check(); err != nil {
		return Category{}, err
	}
	var c Category
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		before, err := s.category(ctx, tx, `c.id = $1`, id)
		if err != nil {
			return err
		}
		now := db.Millis(s.Clock.Now())
		archived := any(nil)
		if in.Archived {
			archived = now
			if before.ArchivedAt != nil {
				archived = db.Millis(*before.ArchivedAt)
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE forum_categories SET slug = $1, name = $2, description = $3, readers_only = $4, sort_order = $5,
			archived_at = $6, updated_at = $7 WHERE id = $8`, in.Slug, in.Name, in.Description, in.ReadersOnly, in.SortOrder, archived, now, id)
		if s.DB.IsUniqueViolation(err) {
			return slugTaken(in.Slug)
		}
		if err != nil {
			return err
		}
		if c, err = s.category(ctx, tx, `c.id = $1`, id); err != nil {
			return err
		}
		return recordCategory(ctx, tx, admin, "forum_category.update", c, &before, s.Clock.Now())
	})
	if err != nil {
		return Category{}, fmt.Errorf("forum: update category: %w", err)
	}
	return c, nil
}

func archivedAt(archived bool, now int64) any {
	if archived {
		return now
	}
	return nil
}

func slugTaken(slug string) error {
	e := apperr.Errorf(apperr.Conflict, "Another category already uses the address %q.", slug)
	e.Fields = map[string]string{"slug": "Another category already uses this address."}
	return e
}

func mustAdmin(u account.User) error {
	if u.Role != account.RoleAdmin {
		return apperr.Errorf(apperr.Forbidden, "Only admins manage the forum's categories and threads.")
	}
	return nil
}

func recordCategory(ctx context.Context, tx *db.Tx, admin account.User, action string, c Category, before *Category, at time.Time) error {
	details := map[string]any{"slug": c.Slug, "name": c.Name, "readers_only": c.ReadersOnly, "sort_order": c.SortOrder, "archived": c.ArchivedAt != nil}
	if before != nil {
		details["before"] = map[string]any{"slug": before.Slug, "name": before.Name, "readers_only": before.ReadersOnly,
			"sort_order": before.SortOrder, "archived": before.ArchivedAt != nil}
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: action, Model: "forum_category", ObjectID: strconv.FormatInt(c.ID, 10),
		Details: details, At: at})
}
