package privacy

import (
	"context"
	"errors"

	"github.com/soulseer/soulseer/internal/db"
)

// giftsFile is gifts.json.
type giftsFile struct {
	Sent     []giftData `json:"sent"`
	Received []giftData `json:"received"`
}

type giftData struct {
	ID             int64  `json:"id"`
	StreamID       int64  `json:"stream_id"`
	StreamTitle    string `json:"stream_title"`
	Reader         *party `json:"reader,omitempty"` // sent: whose stream
	Sender         *party `json:"sender,omitempty"` // received: who sent it
	Gift           string `json:"gift"`
	Quantity       int    `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
	AmountCents    int64  `json:"amount_cents"`
	ReaderCents    *int64 `json:"reader_cents,omitempty"` // received: the reader's share
	CreatedAt      stamp  `json:"created_at"`
}

// readGifts reads gifts.json: gifts the person sent to streams and, on
// their own streams, received.
func readGifts(ctx context.Context, q db.Querier, userID int64) (any, error) {
	const from = ` FROM stream_gifts g JOIN streams s ON s.id = g.stream_id JOIN gifts k ON k.id = g.gift_id `
	var f giftsFile
	var errs [2]error
	f.Sent, errs[0] = list(ctx, q, `SELECT g.id, g.stream_id, s.title, `+partyColumns("rd")+`, k.name, g.quantity, g.unit_price_cents, g.amount_cents, g.created_at`+
		from+`LEFT JOIN users rd ON rd.id = s.reader_id WHERE g.sender_id = $1 ORDER BY g.id`,
		func(r db.Row, x *giftData) error {
			var id int64
			var name string
			err := r.Scan(&x.ID, &x.StreamID, &x.StreamTitle, &id, &name, &x.Gift, &x.Quantity, &x.UnitPriceCents, &x.AmountCents, &x.CreatedAt)
			x.Reader = partyOf(id, name)
			return err
		}, userID)
	f.Received, errs[1] = list(ctx, q, `SELECT g.id, g.stream_id, s.title, `+partyColumns("u")+`, k.name, g.quantity, g.unit_price_cents, g.amount_cents,
		g.reader_cents, g.created_at`+from+`LEFT JOIN users u ON u.id = g.sender_id WHERE s.reader_id = $1 ORDER BY g.id`,
		func(r db.Row, x *giftData) error {
			var id, share int64
			var name string
			err := r.Scan(&x.ID, &x.StreamID, &x.StreamTitle, &id, &name, &x.Gift, &x.Quantity, &x.UnitPriceCents, &x.AmountCents, &share, &x.CreatedAt)
			x.Sender, x.ReaderCents = partyOf(id, name), &share
			return err
		}, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	return f, nil
}

// streamsFile is streams.json.
type streamsFile struct {
	Tickets       []ticketData       `json:"tickets"`
	Subscriptions []subscriptionData `json:"subscriptions"`
	Hosted        []streamData       `json:"hosted_streams"`
	Chat          []streamChatData   `json:"chat"`
	Invitations   []invitationData   `json:"invitations"`
	Moderators    []moderatorData    `json:"moderators"`
	Restrictions  []restrictionData  `json:"restrictions"`
}

type ticketData struct {
	ID          int64  `json:"id"`
	StreamID    int64  `json:"stream_id"`
	StreamTitle string `json:"stream_title"`
	Reader      *party `json:"reader"`
	PriceCents  int64  `json:"price_cents"`
	CreatedAt   stamp  `json:"created_at"`
}

type subscriptionData struct {
	ID                int64  `json:"id"`
	Reader            *party `json:"reader"`
	PriceCents        int64  `json:"price_cents"`
	State             string `json:"state"`
	PeriodStart       stamp  `json:"period_start"`
	PeriodEnd         stamp  `json:"period_end"`
	CancelAtPeriodEnd bool   `json:"cancel_at_period_end"`
	CreatedAt         stamp  `json:"created_at"`
}

type streamData struct {
	ID               int64  `json:"id"`
	Title            string `json:"title"`
	Visibility       string `json:"visibility"`
	TicketPriceCents int64  `json:"ticket_price_cents"`
	State            string `json:"state"`
	EndReason        string `json:"end_reason"`
	ViewerCount      int    `json:"viewer_count"`
	StartedAt        stamp  `json:"started_at"`
	EndedAt          stamp  `json:"ended_at"`
}

type streamChatData struct {
	ID          int64  `json:"id"`
	StreamID    int64  `json:"stream_id"`
	StreamTitle string `json:"stream_title"`
	Body        string `json:"body"`
	CreatedAt   stamp  `json:"created_at"`
	HiddenAt    stamp  `json:"hidden_at"`
}

type invitationData struct {
	StreamID    int64  `json:"stream_id"`
	StreamTitle string `json:"stream_title"`
	Reader      *party `json:"reader"`
}

type moderatorData struct {
	Reader    *party `json:"reader"`
	Moderator *party `json:"moderator"`
	CreatedAt stamp  `json:"created_at"`
}

type restrictionData struct {
	Kind      string `json:"kind"` // ban or mute
	Reader    *party `json:"reader"`
	User      *party `json:"user"`
	Until     stamp  `json:"until"` // a mute's end; null for a ban
	CreatedAt stamp  `json:"created_at"`
}

// readStreams reads streams.json: tickets and subscriptions the person
// bought, streams they hosted, their own chat lines, invitations to
// private streams, moderators on either side, and bans and mutes on them
// or in their streams.
func readStreams(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f streamsFile
	var errs [8]error
	f.Tickets, errs[0] = list(ctx, q, `SELECT t.id, t.stream_id, s.title, `+partyColumns("rd")+`, t.price_cents, t.created_at
		FROM stream_tickets t JOIN streams s ON s.id = t.stream_id LEFT JOIN users rd ON rd.id = s.reader_id WHERE t.user_id = $1 ORDER BY t.id`,
		func(r db.Row, x *ticketData) error {
			var id int64
			var name string
			err := r.Scan(&x.ID, &x.StreamID, &x.StreamTitle, &id, &name, &x.PriceCents, &x.CreatedAt)
			x.Reader = partyOf(id, name)
			return err
		}, userID)
	f.Subscriptions, errs[1] = list(ctx, q, `SELECT b.id, `+partyColumns("rd")+`, b.price_cents, b.state, b.period_start, b.period_end, b.cancel_at_period_end, b.created_at
		FROM stream_subscriptions b LEFT JOIN users rd ON rd.id = b.reader_id WHERE b.subscriber_id = $1 ORDER BY b.id`,
		func(r db.Row, x *subscriptionData) error {
			var id int64
			var name string
			err := r.Scan(&x.ID, &id, &name, &x.PriceCents, &x.State, &x.PeriodStart, &x.PeriodEnd, &x.CancelAtPeriodEnd, &x.CreatedAt)
			x.Reader = partyOf(id, name)
			return err
		}, userID)
	f.Hosted, errs[2] = list(ctx, q, `SELECT id, title, visibility, ticket_price_cents, state, end_reason, viewer_count, started_at, ended_at
		FROM streams WHERE reader_id = $1 ORDER BY id`,
		func(r db.Row, x *streamData) error {
			return r.Scan(&x.ID, &x.Title, &x.Visibility, &x.TicketPriceCents, &x.State, &x.EndReason, &x.ViewerCount, &x.StartedAt, &x.EndedAt)
		}, userID)
	f.Chat, errs[3] = list(ctx, q, `SELECT m.id, m.stream_id, s.title, m.body, m.created_at, m.hidden_at
		FROM stream_messages m JOIN streams s ON s.id = m.stream_id WHERE m.sender_id = $1 ORDER BY m.id`,
		func(r db.Row, x *streamChatData) error {
			return r.Scan(&x.ID, &x.StreamID, &x.StreamTitle, &x.Body, &x.CreatedAt, &x.HiddenAt)
		}, userID)
	f.Invitations, errs[4] = list(ctx, q, `SELECT i.stream_id, s.title, `+partyColumns("rd")+`
		FROM stream_invites i JOIN streams s ON s.id = i.stream_id LEFT JOIN users rd ON rd.id = s.reader_id WHERE i.user_id = $1 ORDER BY i.stream_id`,
		func(r db.Row, x *invitationData) error {
			var id int64
			var name string
			err := r.Scan(&x.StreamID, &x.StreamTitle, &id, &name)
			x.Reader = partyOf(id, name)
			return err
		}, userID)
	f.Moderators, errs[5] = list(ctx, q, `SELECT `+partyColumns("rd")+`, `+partyColumns("m")+`, sm.created_at FROM stream_moderators sm
		LEFT JOIN users rd ON rd.id = sm.reader_id LEFT JOIN users m ON m.id = sm.moderator_id
		WHERE sm.reader_id = $1 OR sm.moderator_id = $1 ORDER BY sm.created_at, sm.reader_id, sm.moderator_id`,
		func(r db.Row, x *moderatorData) error {
			var rID, mID int64
			var rName, mName string
			err := r.Scan(&rID, &rName, &mID, &mName, &x.CreatedAt)
			x.Reader, x.Moderator = partyOf(rID, rName), partyOf(mID, mName)
			return err
		}, userID)
	var bans, mutes []restrictionData
	bans, errs[6] = list(ctx, q, `SELECT 'ban', `+partyColumns("rd")+`, `+partyColumns("u")+`, NULL, b.created_at FROM stream_bans b
		LEFT JOIN users rd ON rd.id = b.reader_id LEFT JOIN users u ON u.id = b.user_id
		WHERE b.reader_id = $1 OR b.user_id = $1 ORDER BY b.created_at, b.reader_id, b.user_id`, scanRestriction, userID)
	mutes, errs[7] = list(ctx, q, `SELECT 'mute', `+partyColumns("rd")+`, `+partyColumns("u")+`, b.muted_until, b.created_at FROM stream_mutes b
		LEFT JOIN users rd ON rd.id = b.reader_id LEFT JOIN users u ON u.id = b.user_id
		WHERE b.reader_id = $1 OR b.user_id = $1 ORDER BY b.created_at, b.reader_id, b.user_id`, scanRestriction, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	f.Restrictions = append(orEmpty(bans), mutes...)
	return f, nil
}

// scanRestriction reads a ban or mute: its kind, reader, user, end and
// start.
func scanRestriction(r db.Row, x *restrictionData) error {
	var rID, uID int64
	var rName, uName string
	err := r.Scan(&x.Kind, &rID, &rName, &uID, &uName, &x.Until, &x.CreatedAt)
	x.Reader, x.User = partyOf(rID, rName), partyOf(uID, uName)
	return err
}
