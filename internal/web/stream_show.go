package web

import (
	"net/http"
	"strconv"

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

	// Subscription is, beside the ticket, the reader's monthly
	// subscription, which admits to all their premium streams (LIV-3).
	Subscription subscriptionCard
}

// streamShow is a stream's page (LIV-2, LIV-3, LIV-6, LIV-7, LIV-9): the
// video (where the site has Agora), the live chat, the gift tray with the
// viewer's balance, gift animations, top gifters and the viewer count. Who
// may see it is what live.CanWatch decides: a premium stream's viewer
// without a ticket is offered one, or a subscription to the reader (402),
// a private stream's viewer who was
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
		status = http.StatusPaymentRequired
		if err := s.offerTicket(r, &p); err != nil {
			return err
		}
	case err != nil:
		return err
	case !p.Ended:
		if p.Room, err = s.streamRoomOf(ctx, u, st); err != nil {
			return err
		}
	}
	return s.render(w, status, "stream", p)
}

// offerTicket offers p's premium stream to its viewer (LIV-3): a ticket for
// it, and beside it the reader's monthly subscription where they offer one,
// which returns to the stream once bought.
func (s *Server) offerTicket(r *http.Request, p *streamPage) error {
	st := p.Room.Stream
	p.NeedsTicket = true
	var err error
	p.Subscription, err = s.subscriptionCardOf(r, st.ReaderID, p.Balance, "/streams/"+strconv.FormatInt(st.ID, 10))
	return err
}

// TicketPrice writes a premium stream's ticket price as money.
func (p streamPage) TicketPrice() string { return ledger.FormatCents(p.Room.Stream.TicketPriceCents) }
