package web

import (
	"context"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

// streamRoom is what the stream page and the reader's go-live page show of
// a live stream: its chat so far, top gifters, the gift tray and whether
// the video can play here.
type streamRoom struct {
	Stream     live.Stream
	AsReader   bool // the viewer is the stream's reader: they publish, and send no gifts
	Messages   []live.ChatMessage
	Gifters    []live.Gifter
	Gifts      []live.Gift
	MediaReady bool   // the site has Agora configured (LIV-2)
	Zone       string // the viewer's time zone, named beside times
	UserID     int64  // the viewer
	Balance    int64  // the viewer's wallet, which pays for gifts
}

// streamRoomOf gathers st's room as u sees it, who may watch it; times on
// u's clock.
func (s *Server) streamRoomOf(ctx context.Context, u account.User, st live.Stream) (streamRoom, error) {
	room := streamRoom{Stream: st, AsReader: u.ID == st.ReaderID, MediaReady: s.Agora.Configured(), Zone: u.Location().String(), UserID: u.ID}
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
	room.Gifts, err = s.Live.Gifts(ctx, false)
	return room, err
}
