package web

import "net/http"

// apiStreamTicketCreate buys the caller a ticket for a live premium stream
// from their wallet (LIV-3): 201 with the ticket; a ticket already held is
// answered again with 200 and charges nothing. A short wallet is a 402
// naming balance, price and shortfall; the stream's reader, a stream that
// is not premium or has ended a 409; a block with the reader a 403.
func (s *Server) apiStreamTicketCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, replayed, err := s.Live.BuyTicket(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, createdOr(replayed), t)
}
