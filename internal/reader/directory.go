package reader

import (
	"context"
	"fmt"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Sort orders the directory (RDR-4).
type Sort string

// The directory sort orders.
const (
	SortRecommended Sort = "recommended" // online first, then rating, then popularity
	SortRating      Sort = "rating"
	SortPriceLow    Sort = "price_low"
	SortPriceHigh   Sort = "price_high"
	SortPopular     Sort = "popular"
	SortNewest      Sort = "newest"
)

// Sorts lists every sort order.
var Sorts = []Sort{SortRecommended, SortRating, SortPriceLow, SortPriceHigh, SortPopular, SortNewest}

// Filter selects readers for the directory. Zero fields match everything.
type Filter struct {
	Specialty  string
	Modality   Modality
	MinCents   int64 // price per minute, of Modality if set, else of the cheapest offered modality
	MaxCents   int64
	OnlineOnly bool
	Query      string // matches the display name
	Sort       Sort
	Limit      int
	Offset     int
	// IncludeUnverified lists unverified readers too (admin views only).
	IncludeUnverified bool
	// IDs restricts the listing to these readers (favourites).
	IDs []int64
}

// MaxPageSize bounds a directory page.
const MaxPageSize = 100

// Validate checks the filter's values and fills defaults; a search term is
// at most db.MaxSearchLen characters.
func (f *Filter) Validate() error {
	fields := map[string]string{}
	if f.Specialty != "" && SpecialtyName(f.Specialty) == "" {
		fields["specialty"] = "Unknown specialty. Choose from: " + specialtySlugs() + "."
	}
	if f.Modality != "" {
		if _, ok := ParseModality(string(f.Modality)); !ok {
			fields["modality"] = "Use text, voice or video."
		}
	}
	db.CheckSearch(fields, "q", f.Query)
	if f.MinCents < 0 {
		fields["min_rate"] = "Enter a price of 0 or more."
	}
	if f.MaxCents < 0 || (f.MaxCents > 0 && f.MaxCents < f.MinCents) {
		fields["max_rate"] = "Enter a maximum price at least as high as the minimum."
	}
	if f.Sort == "" {
		f.Sort = SortRecommended
	}
	valid := false
	for _, s := range Sorts {
		valid = valid || s == f.Sort
	}
	if !valid {
		fields["sort"] = "Use recommended, rating, price_low, price_high, popular or newest."
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 24
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	return apperr.Validation(fields)
}

// List returns one page of readers matching f and how many match in all.
// Only verified readers are listed unless f.IncludeUnverified.
func (s *Service) List(ctx context.Context, f Filter) ([]Profile, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where := []string{"u.role = 'reader'"}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if !f.IncludeUnverified {
		where = append(where, "p.is_verified = TRUE")
	}
	if f.Specialty != "" {
		where = append(where, "EXISTS (SELECT 1 FROM reader_specialties rs WHERE rs.reader_id = p.user_id AND rs.specialty = "+arg(f.Specialty)+")")
	}
	price := "p.min_rate_cents"
	if f.Modality != "" {
		price = "p.rate_" + string(f.Modality) + "_cents" // Modality was validated against the fixed set
		where = append(where, price+" IS NOT NULL")
	} else if len(f.IDs) == 0 {
		// The directory shows only readers who offer something; a
		// favourites list shows its readers whatever they offer now.
		where = append(where, "p.min_rate_cents IS NOT NULL")
	}
	if f.MinCents > 0 {
		where = append(where, price+" >= "+arg(f.MinCents))
	}
	if f.MaxCents > 0 {
		where = append(where, price+" <= "+arg(f.MaxCents))
	}
	if f.OnlineOnly {
		where = append(where, statusSQL(s.presenceCutoff())+" = 'online'")
	}
	if strings.TrimSpace(f.Query) != "" {
		where = append(where, "lower(u.display_name) LIKE "+arg(db.ContainsPattern(f.Query)))
	}
	if len(f.IDs) > 0 {
		ph := make([]string, len(f.IDs))
		for i, id := range f.IDs {
			ph[i] = arg(id)
		}
		where = append(where, "p.user_id IN ("+strings.Join(ph, ",")+")")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.DB.Read().QueryRowContext(ctx, "SELECT count(*)"+profileFrom+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("reader: list: %w", err)
	}
	rating := "(CASE WHEN p.rating_count = 0 THEN 0 ELSE CAST(p.rating_sum AS REAL) / p.rating_count END)"
	order := map[Sort]string{
		SortRecommended: "(CASE " + statusSQL(s.presenceCutoff()) + " WHEN 'online' THEN 0 WHEN 'busy' THEN 1 ELSE 2 END), " + rating + " DESC, p.readings_count DESC",
		SortRating:      rating + " DESC, p.rating_count DESC",
		SortPriceLow:    price + " ASC",
		SortPriceHigh:   price + " DESC",
		SortPopular:     "p.readings_count DESC",
		SortNewest:      "p.created_at DESC",
	}[f.Sort]
	rows, err := s.DB.Read().QueryContext(ctx, "SELECT "+s.columns()+profileFrom+cond+
		fmt.Sprintf(" ORDER BY %s, p.user_id ASC LIMIT %d OFFSET %d", order, f.Limit, f.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("reader: list: %w", err)
	}
	defer rows.Close()
	var out []Profile
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("reader: list: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := loadSpecialties(ctx, s.DB.Read(), out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// PendingVerification lists readers an admin has not verified yet, oldest first.
func (s *Service) PendingVerification(ctx context.Context) ([]Profile, error) {
	rows, err := s.DB.Read().QueryContext(ctx, "SELECT "+s.columns()+profileFrom+
		" WHERE u.role = 'reader' AND p.is_verified = FALSE ORDER BY p.created_at ASC LIMIT 200")
	if err != nil {
		return nil, fmt.Errorf("reader: pending: %w", err)
	}
	defer rows.Close()
	var out []Profile
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadSpecialties(ctx, s.DB.Read(), out)
}

// AddFavorite puts a verified reader on a user's favourites list (RDR-6).
// Adding twice is harmless.
func (s *Service) AddFavorite(ctx context.Context, userID, readerID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		p, err := s.get(ctx, tx, readerID)
		if err != nil {
			return err
		}
		if !p.IsVerified {
			return apperr.Errorf(apperr.NotFound, "No such reader.")
		}
		if userID == readerID {
			return apperr.Errorf(apperr.Invalid, "You cannot favourite yourself.")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO favorites (client_id, reader_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (client_id, reader_id) DO NOTHING`, userID, readerID, db.Millis(s.Clock.Now()))
		return err
	})
}

// RemoveFavorite takes a reader off the list. Removing an absent one is harmless.
func (s *Service) RemoveFavorite(ctx context.Context, userID, readerID int64) error {
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM favorites WHERE client_id = $1 AND reader_id = $2`, userID, readerID)
		return err
	})
}

// FavoriteIDs returns the readers on a user's favourites list.
func (s *Service) FavoriteIDs(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT reader_id FROM favorites WHERE client_id = $1 ORDER BY created_at DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("reader: favorites: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Favorites returns the verified readers on a user's favourites list.
func (s *Service) Favorites(ctx context.Context, userID int64) ([]Profile, error) {
	ids, err := s.FavoriteIDs(ctx, userID)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	list, _, err := s.List(ctx, Filter{IDs: ids, Limit: MaxPageSize})
	return list, err
}
