package live

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/db"
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
		return errLogInToWatch
	}
	if viewer.ID == st.ReaderID || viewer.Role == account.RoleAdmin {
		return nil
	}
	facts, err := s.watchFacts(ctx, s.DB.Read(), st, []int64{viewer.ID})
	if err != nil {
		return err
	}
	return facts[viewer.ID].decide(st)
}

// errLogInToWatch refuses a visitor who is not signed in.
var errLogInToWatch = apperr.Errorf(apperr.Unauthorized, "Please log in to watch.")

// watchFacts are what CanWatch decides on about one viewer of a stream.
type watchFacts struct {
	blocked, banned bool // in a block with the reader, either way; banned by the reader's moderators
	invited         bool // invited to a private stream
	admitted        bool // a premium stream's ticket or an active subscription to its reader
}

// watchFacts reads through q, in one query, the facts about each of
// viewers (none of them st's reader or an admin) that CanWatch decides on;
// what st's visibility does not ask about is left false.
func (s *Service) watchFacts(ctx context.Context, q db.Querier, st Stream, viewers []int64) (map[int64]watchFacts, error) {
	// The viewers are $1 to $n, then the reader, and the stream and the
	// time where the visibility asks about them (PostgreSQL refuses a
	// parameter a statement does not use).
	n := len(viewers)
	args := make([]any, 0, n+3)
	for _, id := range viewers {
		args = append(args, id)
	}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	reader := arg(st.ReaderID)
	invited, admitted := "FALSE", "FALSE"
	switch st.Visibility {
	case Private:
		invited = `EXISTS (SELECT 1 FROM stream_invites WHERE stream_id = ` + arg(st.ID) + ` AND user_id = v.id)`
	case Premium:
		admitted = `EXISTS (SELECT 1 FROM stream_tickets WHERE stream_id = ` + arg(st.ID) + ` AND user_id = v.id)
			OR EXISTS (SELECT 1 FROM stream_subscriptions WHERE subscriber_id = v.id AND reader_id = ` + reader + `
				AND state = 'active' AND period_end > ` + arg(db.Millis(s.Clock.Now())) + `)`
	}
	rows, err := q.QueryContext(ctx, `WITH v (id) AS (VALUES `+db.Values(n, 1, true)+`)
		SELECT v.id, `+block.Between(reader, "v.id")+`, EXISTS (SELECT 1 FROM stream_bans WHERE reader_id = `+reader+` AND user_id = v.id), `+
		invited+`, `+admitted+` FROM v`, args...)
	if err != nil {
		return nil, fmt.Errorf("live: can watch: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]watchFacts, len(viewers))
	for rows.Next() {
		var id int64
		var f watchFacts
		if err := rows.Scan(&id, &f.blocked, &f.banned, &f.invited, &f.admitted); err != nil {
			return nil, fmt.Errorf("live: can watch: %w", err)
		}
		out[id] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("live: can watch: %w", err)
	}
	return out, nil
}

// decide is CanWatch's answer for a viewer with facts f about st.
func (f watchFacts) decide(st Stream) error {
	if f.blocked {
		return apperr.Errorf(apperr.Forbidden, "You cannot join this stream.")
	}
	if f.banned {
		return apperr.Errorf(apperr.Forbidden, "You have been banned from %s's streams.", st.ReaderName)
	}
	switch {
	case st.Visibility == Private && !f.invited:
		return apperr.Errorf(apperr.Forbidden, "This stream is private: only people %s invited can join.", st.ReaderName)
	case st.Visibility == Premium && !f.admitted:
		return apperr.Errorf(apperr.PaymentRequired, "This is a premium stream: buy a ticket (%s) or subscribe to %s to join.",
			ledger.FormatCents(st.TicketPriceCents), st.ReaderName)
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
