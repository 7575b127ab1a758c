package live

import (
	"context"

	"github.com/soulseer/soulseer/internal/account"
)

// Current returns reader's live stream and true while they are live
// (LIV-1): a reader has at most one, which their go-live page shows in
// place of the form.
func (s *Service) Current(ctx context.Context, reader account.User) (Stream, bool, error) {
	list, err := s.list(ctx, reader, `s.state = 'live' AND s.reader_id = $3`, []any{reader.ID}, 1)
	if err != nil || len(list) == 0 {
		return Stream{}, false, err
	}
	return list[0], true, nil
}
