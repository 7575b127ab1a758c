package reader

import (
	"context"

	"github.com/soulseer/soulseer/internal/apperr"
)

// OnlineAlike lists up to limit verified readers online now who share a
// specialty with reader readerID, not counting that reader: whom to offer
// a client whose request that reader did not take (OD-4). A reader without
// specialties is like any reader online.
func (s *Service) OnlineAlike(ctx context.Context, readerID int64, limit int) ([]Profile, error) {
	p, err := s.get(ctx, s.DB.Read(), readerID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	specialties := p.Specialties
	if len(specialties) == 0 {
		specialties = []string{""}
	}
	var out []Profile
	seen := map[int64]bool{readerID: true}
	for _, sp := range specialties {
		list, _, err := s.List(ctx, Filter{Specialty: sp, OnlineOnly: true, Limit: limit + 1})
		if err != nil {
			return nil, err
		}
		for _, q := range list {
			if !seen[q.UserID] && len(out) < limit {
				seen[q.UserID] = true
				out = append(out, q)
			}
		}
	}
	return out, nil
}
