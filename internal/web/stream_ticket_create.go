package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

// streamTicketCreate buys the viewer a premium stream's ticket from its
// page (LIV-3) and opens the stream; buying again charges nothing. A short
// wallet is shown on the offer with a link to top up, nothing charged.
func (s *Server) streamTicketCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, ctx := userOf(r), r.Context()
	_, _, err = s.Live.BuyTicket(ctx, u, id)
	if apperr.CodeOf(err) == apperr.InsufficientFunds {
		st, gerr := s.Live.Get(ctx, id)
		if gerr != nil {
			return gerr
		}
		p := streamPage{Page: s.page(w, r, st.Title), Room: streamRoom{Stream: st}, Ended: st.State != live.Live,
			Message: apperr.MessageOf(err), Short: ledger.ShortOfFunds(err)}
		if !p.Ended {
			if err := s.offerTicket(r, &p); err != nil {
				return err
			}
		}
		return s.render(w, http.StatusPaymentRequired, "stream", p)
	}
	if err != nil {
		return err
	}
	s.setFlash(w, "Your ticket is bought: enjoy the stream.")
	http.Redirect(w, r, "/streams/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
