package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
)

// bookingCancel cancels a booking for its client, its reader or an admin
// (SCH-5) and shows it again with the refund the client got. A booking
// that can no longer be cancelled is shown again saying why.
func (s *Server) bookingCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	b, err := s.Schedule.Cancel(r.Context(), u, id)
	switch {
	case apperr.CodeOf(err) == apperr.Conflict:
		s.setFlash(w, apperr.MessageOf(err))
	case err != nil:
		return err
	case u.ID == b.ClientID:
		s.setFlash(w, fmt.Sprintf("The booking is cancelled. %s is back in your wallet.", ledger.FormatCents(b.RefundCents)))
	default:
		s.setFlash(w, fmt.Sprintf("The booking is cancelled. %s is back in %s's wallet.", ledger.FormatCents(b.RefundCents), b.ClientName))
	}
	http.Redirect(w, r, fmt.Sprintf("/bookings/%d", id), http.StatusSeeOther)
	return nil
}
