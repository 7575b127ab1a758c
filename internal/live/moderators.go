package live

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Moderator is a user a reader appointed to moderate their streams (LIV-8).
type Moderator struct {
	UserID      int64     `json:"user_id"`
	DisplayName string    `json:"display_name"`
	CreatedAt   time.Time `json:"created_at"`
}

// AppointModerator lets userID moderate every stream of reader (LIV-8):
// hide messages, mute and ban viewers. Only readers appoint moderators,
// never themselves; appointing again changes nothing and answers the
// same moderator. An unknown user is NotFound.
func (s *Service) AppointModerator(ctx context.Context, reader account.User, userID int64) (Moderator, error) {
	switch {
	case reader.Role != account.RoleReader:
		return Moderator{}, apperr.Errorf(apperr.Forbidden, "Only readers appoint moderators.")
	case userID == reader.ID:
		return Moderator{}, apperr.Errorf(apperr.Conflict, "You moderate your own streams already.")
	}
	if _, err := s.userName(ctx, userID); err != nil {
		return Moderator{}, err
	}
	_, err := s.DB.Writer.ExecContext(ctx, `INSERT INTO stream_moderators (reader_id, moderator_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (reader_id, moderator_id) DO NOTHING`, reader.ID, userID, db.Millis(s.Clock.Now()))
	if err != nil {
		return Moderator{}, fmt.Errorf("live: appoint moderator: %w", err)
	}
	list, err := s.Moderators(ctx, reader.ID)
	for _, m := range list {
		if m.UserID == userID {
			return m, nil
		}
	}
	return Moderator{}, err
}

// DismissModerator ends userID's appointment as a moderator of reader's
// streams; dismissing someone who is not one changes nothing.
func (s *Service) DismissModerator(ctx context.Context, reader account.User, userID int64) error {
	if _, err := s.DB.Writer.ExecContext(ctx, `DELETE FROM stream_moderators WHERE reader_id = $1 AND moderator_id = $2`, reader.ID, userID); err != nil {
		return fmt.Errorf("live: dismiss moderator: %w", err)
	}
	return nil
}

// Moderators lists the moderators readerID appointed, by name.
func (s *Service) Moderators(ctx context.Context, readerID int64) ([]Moderator, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT m.moderator_id, u.display_name, m.created_at FROM stream_moderators m
		JOIN users u ON u.id = m.moderator_id WHERE m.reader_id = $1 ORDER BY u.display_name, m.moderator_id`, readerID)
	if err != nil {
		return nil, fmt.Errorf("live: moderators: %w", err)
	}
	defer rows.Close()
	out := []Moderator{}
	for rows.Next() {
		var m Moderator
		var at int64
		if err := rows.Scan(&m.UserID, &m.DisplayName, &at); err != nil {
			return nil, fmt.Errorf("live: moderators: %w", err)
		}
		m.CreatedAt = db.Time(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MayModerate says whether who moderates readerID's streams: the reader,
// an admin, or a moderator the reader appointed (LIV-8).
func (s *Service) MayModerate(ctx context.Context, who account.User, readerID int64) (bool, error) {
	if who.ID == readerID || who.Role == account.RoleAdmin {
		return true, nil
	}
	var ok bool
	err := s.DB.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stream_moderators WHERE reader_id = $1 AND moderator_id = $2)`,
		readerID, who.ID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("live: may moderate: %w", err)
	}
	return ok, nil
}

// userName returns user id's display name; NotFound when there is no such
// user.
func (s *Service) userName(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.DB.Read().QueryRowContext(ctx, `SELECT display_name FROM users WHERE id = $1`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.Errorf(apperr.NotFound, "No such user.")
	}
	if err != nil {
		return "", fmt.Errorf("live: user: %w", err)
	}
	return name, nil
}
