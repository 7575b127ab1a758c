package live

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/ledger"
)

// CanWatch is the one place that decides whether viewer may watch st
// (LIV-3, ACC-6); joining, media tokens, chat and gifts all ask it. The
// reader and admins always may. A viewer in a block with the reader,
// either way round, may not (Forbidden), nor may one the reader's
// moderators banned (Forbidden, LIV-8); a private stream admits only the
// users the reader invited (Forbidden for anyone else); a premium stream
// admits only holders of a ticket for it or of an active subscription to
// the reader (PaymentRequired, naming the price, for anyone else). Everyone signed in may watch a public stream.
// It says nothing about whether st is still live.
func (s *Service) CanWatch(ctx context.Context, viewer account.User, st Stream) error {
	if viewer.ID == 0 {
		return apperr.Errorf(apperr.Unauthorized, "Please log in to watch.")
	}
	if viewer.ID == st.ReaderID || viewer.Role == account.RoleAdmin {
		return nil
	}
	q := s.DB.Read()
	var blocked, banned bool
	if err := q.QueryRowContext(ctx, `SELECT `+block.Between("$1", "$2")+`, EXISTS (SELECT 1 FROM stream_bans WHERE reader_id = $1 AND user_id = $2)`,
		st.ReaderID, viewer.ID).Scan(&blocked, &banned); err != nil {
		return fmt.Errorf("live: can watch: %w", err)
	}
	if blocked {
		return apperr.Errorf(apperr.Forbidden, "You cannot join this stream.")
	}
	if banned {
		return apperr.Errorf(apperr.Forbidden, "You have been banned from %s's streams.", st.ReaderName)
	}
	switch st.Visibility {
	case Private:
		var invited bool
		if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stream_invites WHERE stream_id = $1 AND user_id = $2)`,
			st.ID, viewer.ID).Scan(&invited); err != nil {
			return fmt.Errorf("live: can watch: %w", err)
		}
		if !invited {
			return apperr.Errorf(apperr.Forbidden, "This stream is private: only people %s invited can join.", st.ReaderName)
		}
	case Premium:
		var ticket bool
		if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stream_tickets WHERE stream_id = $1 AND user_id = $2)`,
			st.ID, viewer.ID).Scan(&ticket); err != nil {
			return fmt.Errorf("live: can watch: %w", err)
		}
		if ticket {
			return nil
		}
		subscribed, err := s.subscribed(ctx, viewer.ID, st.ReaderID)
		if err != nil {
			return err
		}
		if !subscribed {
			return apperr.Errorf(apperr.PaymentRequired, "This is a premium stream: buy a ticket (%s) or subscribe to %s to join.",
				ledger.FormatCents(st.TicketPriceCents), st.ReaderName)
		}
	}
	return nil
}

// Watch returns live stream id when viewer may watch it now: NotFound for
// no such stream, a Conflict once it has ended, else what CanWatch says.
func (s *Service) Watch(ctx context.Context, viewer account.User, id int64) (Stream, error) {
	st, err := s.Get(ctx, id)
	if err != nil {
		return Stream{}, err
	}
	if st.State != Live {
		return Stream{}, errEnded
	}
	return st, s.CanWatch(ctx, viewer, st)
}
