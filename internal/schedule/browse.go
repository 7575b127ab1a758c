package schedule

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
)

// MaxBrowse bounds how many open times one browse answers.
const MaxBrowse = 500

// BrowseFilter narrows open times across readers (SCH-3) to readers of one
// specialty and to those offering one modality; empty means any. With a
// ViewerID, readers in a block with the viewer either way are left out
// (ACC-6): they could not book them anyway.
type BrowseFilter struct {
	Window
	Specialty string
	Modality  reader.Modality
	ViewerID  int64
}

// Browse lists the open times of every verified reader matching f, earliest
// first, at most MaxBrowse of them (SCH-3).
func (s *Service) Browse(ctx context.Context, f BrowseFilter) ([]Slot, error) {
	fields := map[string]string{}
	if f.Specialty != "" && reader.SpecialtyName(f.Specialty) == "" {
		fields["specialty"] = "Unknown specialty."
	}
	if _, ok := reader.ParseModality(string(f.Modality)); f.Modality != "" && !ok {
		fields["modality"] = "Use text, voice or video."
	}
	if err := apperr.Validation(fields); err != nil {
		return nil, err
	}
	if err := f.Check(); err != nil {
		return nil, err
	}
	query := `SELECT a.reader_id FROM reader_availability a JOIN reader_profiles p ON p.user_id = a.reader_id
		WHERE p.is_verified = TRUE AND p.min_rate_cents IS NOT NULL`
	args := []any{}
	if f.Specialty != "" {
		args = append(args, f.Specialty)
		query += fmt.Sprintf(" AND EXISTS (SELECT 1 FROM reader_specialties rs WHERE rs.reader_id = a.reader_id AND rs.specialty = $%d)", len(args))
	}
	if f.ViewerID != 0 {
		args = append(args, f.ViewerID)
		query += fmt.Sprintf(` AND NOT EXISTS (SELECT 1 FROM blocks bl WHERE (bl.blocker_id = a.reader_id AND bl.blocked_id = $%[1]d)
			OR (bl.blocker_id = $%[1]d AND bl.blocked_id = a.reader_id))`, len(args))
	}
	if f.Modality != "" {
		query += " AND p.rate_" + string(f.Modality) + "_cents IS NOT NULL" // Modality was checked against the fixed set
	}
	rows, err := s.DB.Read().QueryContext(ctx, query+" ORDER BY a.reader_id", args...)
	if err != nil {
		return nil, fmt.Errorf("schedule: browse: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("schedule: browse: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("schedule: browse: %w", err)
	}
	out := []Slot{}
	for _, id := range ids {
		list, err := s.Slots(ctx, id, f.Window)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	slices.SortStableFunc(out, func(a, b Slot) int { return cmp.Compare(a.StartsAt.UnixMilli(), b.StartsAt.UnixMilli()) })
	return out[:min(len(out), MaxBrowse)], nil
}
