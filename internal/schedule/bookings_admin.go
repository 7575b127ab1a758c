package schedule

import (
	"context"
	"fmt"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// AdminFilter narrows the bookings admins look through: by state (empty:
// all), by a client's or reader's name or email, and a page offset.
type AdminFilter struct {
	State  State
	Query  string
	Offset int
}

// Escrowed is what open bookings hold: how many are booked and the sum of
// their prices, which the escrow account's balance must equal.
type Escrowed struct {
	Count int
	Cents int64
}

// AdminBookings lists bookings for admins, soonest start last — the newest
// plans first — MaxBookingsListed at a time, with how many match in all.
func (s *Service) AdminBookings(ctx context.Context, f AdminFilter) ([]Booking, int, error) {
	fields := map[string]string{}
	switch f.State {
	case "", Booked, Cancelled, Fulfilled, ReaderNoShow:
	default:
		fields["state"] = "Choose a state from the list."
	}
	db.CheckSearch(fields, "q", f.Query)
	if f.Offset < 0 {
		fields["offset"] = "Use a page offset of 0 or more."
	}
	if err := apperr.Validation(fields); err != nil {
		return nil, 0, err
	}
	where, args := " WHERE 1=1", []any{}
	if f.State != "" {
		args = append(args, f.State)
		where += fmt.Sprintf(" AND b.state = $%d", len(args))
	}
	if strings.TrimSpace(f.Query) != "" {
		args = append(args, db.ContainsPattern(f.Query))
		where += fmt.Sprintf(" AND (cu.email LIKE $%[1]d OR lower(cu.display_name) LIKE $%[1]d OR ru.email LIKE $%[1]d OR lower(ru.display_name) LIKE $%[1]d)", len(args))
	}
	q := s.DB.Read()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*)`+bookingFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("schedule: admin bookings: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+bookingColumns+bookingFrom+where+
		fmt.Sprintf(" ORDER BY b.starts_at DESC, b.id DESC LIMIT %d OFFSET %d", MaxBookingsListed, f.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("schedule: admin bookings: %w", err)
	}
	list, err := scanBookings(rows)
	return list, total, err
}

// Escrow is what the open bookings hold in escrow.
func (s *Service) Escrow(ctx context.Context) (Escrowed, error) {
	var e Escrowed
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(price_cents), 0) FROM bookings WHERE state = 'booked'`).Scan(&e.Count, &e.Cents); err != nil {
		return Escrowed{}, fmt.Errorf("schedule: escrow: %w", err)
	}
	return e, nil
}
