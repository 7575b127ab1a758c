package message

import (
	"context"
	"fmt"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/db"
)

// Found is a message a search found, with the person its conversation is
// with.
type Found struct {
	Message
	With Person `json:"with"`
}

// Search finds messages in the user's conversations, newest first (MSG-5):
// those whose text holds f.Query (any case, at most db.MaxSearchLen
// characters), narrowed by f.Paid and f.With and paged by f.Before. It
// searches only text the user may read, so a locked paid reply is never
// found by words in it.
func (s *Service) Search(ctx context.Context, u account.User, f Filter) ([]Found, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	args := []any{u.ID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where := "(c.client_id = $1 OR c.reader_id = $1) AND NOT " + LockedFor
	if f.Query != "" {
		where += " AND lower(m.body) LIKE " + arg(db.ContainsPattern(f.Query))
	}
	if f.Paid {
		where += " AND m.price_cents > 0"
	}
	if f.With != 0 {
		where += " AND o.id = " + arg(f.With)
	}
	if f.Before != 0 {
		where += " AND m.id < " + arg(f.Before)
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+messageColumns+`, o.id, o.display_name, o.role
		FROM messages m JOIN conversations c ON c.id = m.conversation_id
		JOIN users o ON o.id = CASE WHEN c.client_id = $1 THEN c.reader_id ELSE c.client_id END
		WHERE `+where+` ORDER BY m.id DESC LIMIT `+arg(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("message: search: %w", err)
	}
	out := []Found{}
	err = scanRows(rows, func() error {
		var fd Found
		m, err := scanMessage(scanner{rows, []any{&fd.With.ID, &fd.With.DisplayName, &fd.With.Role}})
		fd.Message = m
		out = append(out, fd)
		return err
	})
	return out, err
}

// scanner scans a row's leading columns with a scan function of its own and
// the rest into extra.
type scanner struct {
	row   interface{ Scan(...any) error }
	extra []any
}

// Scan scans dest followed by the extra destinations.
func (s scanner) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra...)...) }
