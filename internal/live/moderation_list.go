package live

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Restricted is a viewer kept out of a reader's chat or streams: muted
// until Until, or banned (Until nil).
type Restricted struct {
	UserID      int64      `json:"user_id"`
	DisplayName string     `json:"display_name"`
	Until       *time.Time `json:"until"`
}

// Restrictions lists who is muted now and who is banned in the streams of
// stream id's reader, each by name, for the reader, admins and the
// reader's moderators, who lift them from there (LIV-8); anyone else is
// Forbidden. Expired mutes are left out.
func (s *Service) Restrictions(ctx context.Context, who account.User, id int64) (muted, banned []Restricted, err error) {
	st, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ok, err := s.MayModerate(ctx, who, st.ReaderID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, apperr.Errorf(apperr.Forbidden, "Only the stream's reader, their moderators and admins see who is muted or banned.")
	}
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT u.id, u.display_name, m.muted_until FROM stream_mutes m JOIN users u ON u.id = m.user_id
		WHERE m.reader_id = $1 AND m.muted_until > $2
		UNION ALL
		SELECT u.id, u.display_name, 0 FROM stream_bans b JOIN users u ON u.id = b.user_id WHERE b.reader_id = $1
		ORDER BY 2, 1`, st.ReaderID, db.Millis(s.Clock.Now()))
	if err != nil {
		return nil, nil, fmt.Errorf("live: restrictions: %w", err)
	}
	defer rows.Close()
	muted, banned = []Restricted{}, []Restricted{}
	for rows.Next() {
		var r Restricted
		var until int64
		if err := rows.Scan(&r.UserID, &r.DisplayName, &until); err != nil {
			return nil, nil, fmt.Errorf("live: restrictions: %w", err)
		}
		if until == 0 {
			banned = append(banned, r)
			continue
		}
		t := db.Time(until)
		r.Until = &t
		muted = append(muted, r)
	}
	return muted, banned, rows.Err()
}
