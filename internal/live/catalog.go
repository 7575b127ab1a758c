package live

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Gift is a gift of the catalog (LIV-4): what viewers may send, at what
// price, with which animation. Only active gifts are offered.
type Gift struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	PriceCents int64     `json:"price_cents"`
	Animation  string    `json:"animation"`
	Active     bool      `json:"active"`
	SortOrder  int       `json:"sort_order"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Animations are the animations the stream page can play for a gift.
var Animations = []string{"sparkle", "rose", "heart", "crystal", "moon", "star", "comet", "crown"}

// GiftInput is a gift as an admin writes it: every field, for a new gift
// or in place of an existing one's. Active nil means offered.
type GiftInput struct {
	Name       string
	PriceCents int64
	Animation  string
	Active     *bool
	SortOrder  int
}

const giftColumns = `id, name, price_cents, animation, active, sort_order, updated_at`

func scanGift(row interface{ Scan(...any) error }) (Gift, error) {
	var g Gift
	var at int64
	if err := row.Scan(&g.ID, &g.Name, &g.PriceCents, &g.Animation, &g.Active, &g.SortOrder, &at); err != nil {
		return Gift{}, err
	}
	g.UpdatedAt = db.Time(at)
	return g, nil
}

// Gifts lists the catalog in tray order (sort order, then price): the
// gifts on offer, or with all every gift, for admins.
func (s *Service) Gifts(ctx context.Context, all bool) ([]Gift, error) {
	return s.gifts(ctx, s.DB.Read(), all)
}

// gifts lists the catalog through q, as Gifts does.
func (s *Service) gifts(ctx context.Context, q db.Querier, all bool) ([]Gift, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+giftColumns+` FROM gifts WHERE active = TRUE OR $1 ORDER BY sort_order, price_cents, id`, all)
	if err != nil {
		return nil, fmt.Errorf("live: gifts: %w", err)
	}
	defer rows.Close()
	out := []Gift{}
	for rows.Next() {
		g, err := scanGift(rows)
		if err != nil {
			return nil, fmt.Errorf("live: gifts: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// gift reads gift id of the catalog.
func (s *Service) gift(ctx context.Context, q db.Querier, id int64) (Gift, error) {
	g, err := scanGift(q.QueryRowContext(ctx, `SELECT `+giftColumns+` FROM gifts WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Gift{}, apperr.Errorf(apperr.NotFound, "No such gift.")
	}
	if err != nil {
		return Gift{}, fmt.Errorf("live: gift: %w", err)
	}
	return g, nil
}

// CreateGift adds a gift to the catalog for admin (LIV-4), recorded in the
// audit log (SEC-4). The name has 1 to MaxGiftNameLen characters, the
// price is from 1 cent to MaxGiftPriceCents, the animation one of
// Animations.
func (s *Service) CreateGift(ctx context.Context, admin account.User, in GiftInput) (Gift, error) {
	if err := in.check(); err != nil {
		return Gift{}, err
	}
	var g Gift
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO gifts (name, price_cents, animation, active, sort_order, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, in.Name, in.PriceCents, in.Animation, in.active(), in.SortOrder, now).Scan(&id); err != nil {
			return err
		}
		var err error
		if g, err = s.gift(ctx, tx, id); err != nil {
			return err
		}
		return recordGift(ctx, tx, admin, "gift.create", g, nil, s.Clock.Now())
	})
	if err != nil {
		return Gift{}, fmt.Errorf("live: create gift: %w", err)
	}
	return g, nil
}

// UpdateGift replaces gift id's fields for admin (LIV-4), recorded in the
// audit log with the fields before and after (SEC-4). Gifts already sent
// keep the price they were sent at; an inactive gift is no longer offered
// or taken.
func (s *Service) UpdateGift(ctx context.Context, admin account.User, id int64, in GiftInput) (Gift, error) {
	if err := in.check(); err != nil {
		return Gift{}, err
	}
	var g Gift
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		before, err := s.gift(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE gifts SET name = $2, price_cents = $3, animation = $4, active = $5, sort_order = $6, updated_at = $7
			WHERE id = $1`, id, in.Name, in.PriceCents, in.Animation, in.active(), in.SortOrder, db.Millis(s.Clock.Now())); err != nil {
			return err
		}
		if g, err = s.gift(ctx, tx, id); err != nil {
			return err
		}
		return recordGift(ctx, tx, admin, "gift.update", g, &before, s.Clock.Now())
	})
	if err != nil {
		return Gift{}, fmt.Errorf("live: update gift: %w", err)
	}
	return g, nil
}

// recordGift writes the audit record of admin's action on g, with the
// gift as it was before, if it existed.
func recordGift(ctx context.Context, tx *db.Tx, admin account.User, action string, g Gift, before *Gift, at time.Time) error {
	details := map[string]any{"name": g.Name, "price_cents": g.PriceCents, "animation": g.Animation, "active": g.Active, "sort_order": g.SortOrder}
	if before != nil {
		details["before"] = before
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: action, Model: "gift", ObjectID: strconv.FormatInt(g.ID, 10),
		Details: details, At: at})
}

// check validates a gift as an admin wrote it, trimming its name.
func (in *GiftInput) check() error {
	in.Name = strings.TrimSpace(in.Name)
	fields := map[string]string{}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > MaxGiftNameLen {
		fields["name"] = fmt.Sprintf("Name the gift in 1 to %d characters.", MaxGiftNameLen)
	}
	if in.PriceCents < 1 || in.PriceCents > MaxGiftPriceCents {
		fields["price_cents"] = fmt.Sprintf("A gift costs from 1 cent to %s.", ledger.FormatCents(MaxGiftPriceCents))
	}
	if !slices.Contains(Animations, in.Animation) {
		fields["animation"] = "Choose one of: " + strings.Join(Animations, ", ") + "."
	}
	if in.SortOrder < 0 || in.SortOrder > 1000 {
		fields["sort_order"] = "Use a place from 0 to 1000."
	}
	return apperr.Validation(fields)
}

// active is whether the gift is offered: yes unless it says no.
func (in GiftInput) active() bool { return in.Active == nil || *in.Active }
