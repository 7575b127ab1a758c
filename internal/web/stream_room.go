package web

import (
	"context"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

// streamRoom is what the stream page and the reader's go-live page show of
// a live stream: its chat so far, top gifters, the gift tray and whether
// the video can play here; to those who moderate it, the moderation panel.
type streamRoom struct {
	Stream     live.Stream
	AsReader   bool // the viewer is the stream's reader: they publish, and send no gifts
	AsAdmin    bool // the viewer is an admin, who may end the stream
	Messages   []live.ChatMessage
	Gifters    []live.Gifter
	Gifts      []live.Gift
	MediaReady bool    // the site has Agora configured (LIV-2)
	Zone       string  // the viewer's time zone, named beside times
	UserID     int64   // the viewer
	Balance    int64   // the viewer's wallet, which pays for gifts
	Presets    []int64 // the top-ups offered in place when a gift finds the wallet short
	// MutedUntil is, when the viewer is muted in the reader's chat, until
	// when, on their clock (LIV-8); zero when they are not.
	MutedUntil time.Time
	// Panel is the moderation panel, for the reader, admins and the
	// reader's moderators (nil for anyone else).
	Panel *streamModeration
}

// streamModeration is a stream's moderation panel (LIV-7, LIV-8): who is
// watching, and who is muted (until when, on the moderator's clock) or
// banned in the reader's streams, with what lifts each. The reader may
// also make a viewer a moderator from it.
type streamModeration struct {
	StreamID int64
	AsReader bool
	Mods     map[int64]bool // for the reader: the viewers who moderate already
	Viewers  []live.Viewer
	Muted    []mutedViewer
	Banned   []live.Restricted
}

// mutedViewer is a viewer muted until Until, on the moderator's clock.
type mutedViewer struct {
	UserID      int64
	DisplayName string
	Until       time.Time
}

// streamRoomOf gathers st's room as u sees it, who may watch it; times on
// u's clock.
func (s *Server) streamRoomOf(ctx context.Context, u account.User, st live.Stream) (streamRoom, error) {
	room := streamRoom{Stream: st, AsReader: u.ID == st.ReaderID, AsAdmin: u.Role == account.RoleAdmin, MediaReady: s.Agora.Configured(), Presets: topUpPresets,
		Zone: u.Location().String(), UserID: u.ID}
	var err error
	if room.Balance, err = s.Ledger.Balance(ctx, s.DB.Read(), ledger.Wallet(u.ID)); err != nil {
		return room, err
	}
	if room.Messages, err = s.Live.Transcript(ctx, u, st.ID); err != nil {
		return room, err
	}
	for i := range room.Messages {
		room.Messages[i].CreatedAt = room.Messages[i].CreatedAt.In(u.Location())
	}
	if room.Gifters, err = s.Live.TopGifters(ctx, st.ID); err != nil {
		return room, err
	}
	if room.Gifts, err = s.Live.Gifts(ctx, false); err != nil {
		return room, err
	}
	until, muted, err := s.Live.MutedUntil(ctx, st.ReaderID, u.ID)
	if err != nil {
		return room, err
	}
	if muted {
		room.MutedUntil = until.In(u.Location())
	}
	moderates, err := s.Live.MayModerate(ctx, u, st.ReaderID)
	if err != nil || !moderates {
		return room, err
	}
	panel, err := s.streamModerationOf(ctx, u, st)
	room.Panel = &panel
	return room, err
}

// streamModerationOf gathers stream st's moderation panel for u, who
// moderates it; times on u's clock.
func (s *Server) streamModerationOf(ctx context.Context, u account.User, st live.Stream) (streamModeration, error) {
	p := streamModeration{StreamID: st.ID, AsReader: u.ID == st.ReaderID, Mods: map[int64]bool{}}
	if p.AsReader {
		mods, err := s.Live.Moderators(ctx, st.ReaderID)
		if err != nil {
			return p, err
		}
		for _, m := range mods {
			p.Mods[m.UserID] = true
		}
	}
	var err error
	if p.Viewers, err = s.Live.Viewers(ctx, u, st.ID); err != nil {
		return p, err
	}
	muted, banned, err := s.Live.Restrictions(ctx, u, st.ID)
	if err != nil {
		return p, err
	}
	for _, m := range muted {
		p.Muted = append(p.Muted, mutedViewer{UserID: m.UserID, DisplayName: m.DisplayName, Until: m.Until.In(u.Location())})
	}
	p.Banned = banned
	return p, nil
}
