package live

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
)

// StartInput is a reader's new stream: its title and who may watch it.
type StartInput struct {
	Title            string
	Visibility       string
	TicketPriceCents int64   // premium only: the ticket's price
	InvitedUserIDs   []int64 // private only: who may watch
}

// Start puts reader live with a new stream (LIV-1, LIV-2). Only a reader
// an admin has verified may go live (else Forbidden), with a title of 1 to
// MaxTitleLen characters and a visibility: public; private, inviting 1 to
// MaxInvites existing users; or premium, at a ticket price from $1 to
// MaxTicketPriceCents. A reader has one live stream at a time: a second is
// a Conflict, and the database refuses it even when two starts race.
func (s *Service) Start(ctx context.Context, reader account.User, in StartInput) (Stream, error) {
	in.Title = strings.TrimSpace(in.Title)
	invited, err := s.checkStart(ctx, reader, &in)
	if err != nil {
		return Stream{}, err
	}
	var verified bool
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM reader_profiles WHERE user_id = $1 AND is_verified = TRUE)`,
		reader.ID).Scan(&verified); err != nil {
		return Stream{}, fmt.Errorf("live: start: %w", err)
	}
	if !verified {
		return Stream{}, apperr.Errorf(apperr.Forbidden, "Only readers an admin has verified can go live.")
	}
	now := s.Clock.Now()
	var st Stream
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO streams (reader_id, title, visibility, ticket_price_cents, platform_share_pct, state,
			started_at, reader_seen_at) VALUES ($1, $2, $3, $4, $5, 'live', $6, $6) RETURNING id`,
			reader.ID, in.Title, in.Visibility, in.TicketPriceCents, s.Config.PlatformSharePct, db.Millis(now)).Scan(&id); err != nil {
			return err
		}
		for _, u := range invited {
			if _, err := tx.ExecContext(ctx, `INSERT INTO stream_invites (stream_id, user_id) VALUES ($1, $2)`, id, u); err != nil {
				return err
			}
		}
		st, err = s.load(ctx, tx, id)
		return err
	})
	if s.DB.IsUniqueViolation(err) {
		return Stream{}, errAlreadyLive
	}
	if err != nil {
		return Stream{}, fmt.Errorf("live: start: %w", err)
	}
	return st, nil
}

// errAlreadyLive is the answer to a reader who is live already.
var errAlreadyLive = apperr.Errorf(apperr.Conflict, "You are already live: end that stream before starting another.")

// checkStart validates in and returns the distinct invited users, each an
// existing user other than the reader; a reader already live is told so
// before anything else.
func (s *Service) checkStart(ctx context.Context, reader account.User, in *StartInput) ([]int64, error) {
	var live bool
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM streams WHERE reader_id = $1 AND state = 'live')`,
		reader.ID).Scan(&live); err != nil {
		return nil, fmt.Errorf("live: start: %w", err)
	}
	if live {
		return nil, errAlreadyLive
	}
	fields := map[string]string{}
	if in.Title == "" || utf8.RuneCountInString(in.Title) > MaxTitleLen {
		fields["title"] = fmt.Sprintf("Give the stream a title of 1 to %d characters.", MaxTitleLen)
	}
	v := Visibility(in.Visibility)
	if v != Public && v != Private && v != Premium {
		fields["visibility"] = "Choose public, private or premium."
	}
	switch {
	case v == Premium && (in.TicketPriceCents < 100 || in.TicketPriceCents > MaxTicketPriceCents):
		fields["ticket_price_cents"] = fmt.Sprintf("A premium stream's ticket costs from $1.00 to %s.", ledger.FormatCents(MaxTicketPriceCents))
	case v != Premium && in.TicketPriceCents != 0:
		fields["ticket_price_cents"] = "Only premium streams have a ticket price."
	}
	var invited []int64
	for _, u := range in.InvitedUserIDs {
		if !slices.Contains(invited, u) {
			invited = append(invited, u)
		}
	}
	switch {
	case v == Private && (len(invited) == 0 || len(invited) > MaxInvites):
		fields["invited_user_ids"] = fmt.Sprintf("Invite 1 to %d people to a private stream.", MaxInvites)
	case v != Private && len(invited) > 0:
		fields["invited_user_ids"] = "Only private streams have invitations."
	case v == Private:
		if why, err := s.checkInvites(ctx, reader, invited); err != nil {
			return nil, err
		} else if why != "" {
			fields["invited_user_ids"] = why
		}
	}
	return invited, apperr.Validation(fields)
}

// checkInvites says what is wrong with inviting ids, or "": each must be
// an existing user other than the reader.
func (s *Service) checkInvites(ctx context.Context, reader account.User, ids []int64) (string, error) {
	if slices.Contains(ids, reader.ID) {
		return "You need no invitation to your own stream.", nil
	}
	args := make([]any, len(ids))
	for i, u := range ids {
		args[i] = u
	}
	var n int
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM users WHERE id IN (`+db.Params(len(ids))+`)`, args...).Scan(&n); err != nil {
		return "", fmt.Errorf("live: check invites: %w", err)
	}
	if n != len(ids) {
		return "Invite only people who have an account.", nil
	}
	return "", nil
}
