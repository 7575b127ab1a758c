package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

// streamPage is the data of a stream's page: its room for who may watch
// it, the ticket on offer for a premium stream's viewer without one, or
// that it has ended.
type streamPage struct {
	Page
	Room        streamRoom
	Ended       bool
	NeedsTicket bool
	Message     string // why the ticket could not be bought
	Short       bool   // the wallet is short of the ticket's price: offer a top-up
}

// streamShow is a stream's page (LIV-2, LIV-3, LIV-6, LIV-7, LIV-9): the
// video (where the site has Agora), the live chat, the gift tray with the
// viewer's balance, gift animations, top gifters and the viewer count. Who
// may see it is what live.CanWatch decides: a premium stream's viewer
// without a ticket is offered one (402), a private stream's viewer who was
// not invited, or one in a block with the reader, gets a 403. An ended
// stream says so.
func (s *Server) streamShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, ctx := userOf(r), r.Context()
	st, err := s.Live.Get(ctx, id)
	if err != nil {
		return err
	}
	st.StartedAt = st.StartedAt.In(u.Location())
	p := streamPage{Page: s.page(w, r, st.Title), Room: streamRoom{Stream: st}, Ended: st.State != live.Live}
	status := http.StatusOK
	switch err := s.Live.CanWatch(ctx, u, st); {
	case apperr.CodeOf(err) == apperr.PaymentRequired && !p.Ended:
		p.NeedsTicket, status = true, http.StatusPaymentRequired
	case err != nil:
		return err
	case !p.Ended:
		if p.Room, err = s.streamRoomOf(ctx, u, st); err != nil {
			return err
		}
	}
	return s.render(w, status, "stream", p)
}

// TicketPrice writes a premium stream's ticket price as money.
func (p streamPage) TicketPrice() string { return ledger.FormatCents(p.Room.Stream.TicketPriceCents) }
