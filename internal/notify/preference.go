package notify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Preference is one person's choice for one kind: told in the app (bell,
// list, live) and told by email when away.
type Preference struct {
	Kind  Kind   `json:"kind"`
	Label string `json:"label"`
	InApp bool   `json:"in_app"`
	Email bool   `json:"email"`
}

// preference returns userID's choice for kind k, its defaults when they
// never chose.
func preference(ctx context.Context, q db.Querier, userID int64, k Kind) (Preference, error) {
	ki, _ := info(k)
	p := Preference{Kind: k, Label: ki.Label, InApp: ki.InApp, Email: ki.Email}
	err := q.QueryRowContext(ctx, `SELECT in_app, email FROM notification_preferences WHERE user_id = $1 AND kind = $2`,
		userID, k).Scan(&p.InApp, &p.Email)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Preference{}, fmt.Errorf("notify: preference: %w", err)
	}
	return p, nil
}

// Preferences returns userID's choice for every kind, in the order of Kinds.
func (s *Service) Preferences(ctx context.Context, userID int64) ([]Preference, error) {
	out := make([]Preference, 0, len(kinds))
	for _, ki := range kinds {
		p, err := preference(ctx, s.DB.Read(), userID, ki.Kind)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// SetPreferences saves userID's choices for the kinds in ps (kinds left out
// keep theirs) and returns every preference after. An unknown or repeated
// kind is refused and nothing is saved.
func (s *Service) SetPreferences(ctx context.Context, userID int64, ps []Preference) ([]Preference, error) {
	seen := map[Kind]bool{}
	for i, p := range ps {
		if _, ok := info(p.Kind); !ok || seen[p.Kind] {
			return nil, apperr.Validation(map[string]string{fmt.Sprintf("preferences[%d].kind", i): "Use each kind of notification once: " + kindNames() + "."})
		}
		seen[p.Kind] = true
	}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		for _, p := range ps {
			if err := s.setPreference(ctx, tx, userID, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Preferences(ctx, userID)
}

func (s *Service) setPreference(ctx context.Context, tx *db.Tx, userID int64, p Preference) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notification_preferences (user_id, kind, in_app, email, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, kind) DO UPDATE SET in_app = excluded.in_app, email = excluded.email, updated_at = excluded.updated_at`,
		userID, p.Kind, p.InApp, p.Email, db.Millis(s.Clock.Now()))
	if err != nil {
		return fmt.Errorf("notify: save preference: %w", err)
	}
	return nil
}

func kindNames() string {
	s := ""
	for i, ki := range kinds {
		if i > 0 {
			s += ", "
		}
		s += string(ki.Kind)
	}
	return s
}

// newUnsubscribe stores a one-time link token that turns email of kind k
// off for userID, and returns the token for the email's link.
func (s *Service) newUnsubscribe(ctx context.Context, tx *db.Tx, userID int64, k Kind) (string, error) {
	token := rand.Text()
	if _, err := tx.ExecContext(ctx, `INSERT INTO notification_unsubscribes (token_hash, user_id, kind, created_at) VALUES ($1, $2, $3, $4)`,
		hashToken(token), userID, k, db.Millis(s.Clock.Now())); err != nil {
		return "", fmt.Errorf("notify: unsubscribe link: %w", err)
	}
	return token, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

var errNoUnsubscribe = apperr.Errorf(apperr.NotFound, "This unsubscribe link is not valid. You can change your email settings after logging in.")

// Unsubscription is what an unsubscribe link from an email is for.
type Unsubscription struct {
	UserID int64
	Kind   KindInfo
}

// LookUpUnsubscribe returns what the unsubscribe link token is for, without
// changing anything (the page asks before it turns email off).
func (s *Service) LookUpUnsubscribe(ctx context.Context, token string) (Unsubscription, error) {
	var u Unsubscription
	var k Kind
	err := s.DB.Read().QueryRowContext(ctx, `SELECT user_id, kind FROM notification_unsubscribes WHERE token_hash = $1`,
		hashToken(token)).Scan(&u.UserID, &k)
	if errors.Is(err, sql.ErrNoRows) {
		return Unsubscription{}, errNoUnsubscribe
	}
	if err != nil {
		return Unsubscription{}, fmt.Errorf("notify: unsubscribe: %w", err)
	}
	ki, ok := info(k)
	if !ok {
		return Unsubscription{}, errNoUnsubscribe
	}
	u.Kind = ki
	return u, nil
}

// Unsubscribe turns email off for the kind and person the link token of an
// email names, without signing in; their in-app choice stays. The link
// keeps working, so following it twice is harmless.
func (s *Service) Unsubscribe(ctx context.Context, token string) (Unsubscription, error) {
	u, err := s.LookUpUnsubscribe(ctx, token)
	if err != nil {
		return Unsubscription{}, err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		p, err := preference(ctx, tx, u.UserID, u.Kind.Kind)
		if err != nil {
			return err
		}
		p.Email = false
		return s.setPreference(ctx, tx, u.UserID, p)
	})
	return u, err
}
