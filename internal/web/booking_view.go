package web

import (
	"context"
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/schedule"
)

// bookingResponse is a scheduled reading as one viewer sees it (SCH-7):
// its times on the viewer's clock and, while the viewer may cancel it,
// what cancelling now would refund the client (SCH-5), so the amount is
// known before anyone confirms a cancellation.
type bookingResponse struct {
	schedule.Booking
	CancelRefundCents *int64 `json:"cancel_refund_cents,omitempty"` // nil when viewer may not cancel it now
}

// bookingJSON is b as viewer sees it now, with its times on loc's clock.
func (s *Server) bookingJSON(b schedule.Booking, viewer account.User, loc *time.Location) bookingResponse {
	out := bookingResponse{Booking: b.In(loc)}
	if refund, ok := s.Schedule.RefundIf(b, viewer, s.Clock.Now()); ok {
		out.CancelRefundCents = &refund
	}
	return out
}

// requestZone is the zone an API answer shows times in: the tz query
// parameter (an IANA name) when given, else the signed-in viewer's own
// zone, else UTC.
func requestZone(r *http.Request) (*time.Location, error) {
	tz := r.URL.Query().Get("tz")
	if tz == "" {
		return userOf(r).Location(), nil
	}
	name, err := account.ParseTimeZone(tz)
	if err != nil {
		return nil, apperr.Validation(map[string]string{"tz": err.Error()})
	}
	return time.LoadLocation(name)
}

// bookingAct answers the booking named by the path as op, given the
// signed-in user, leaves it — shown, cancelled, joined — on the requested
// clock.
func (s *Server) bookingAct(w http.ResponseWriter, r *http.Request, op func(context.Context, account.User, int64) (schedule.Booking, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	loc, err := requestZone(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	b, err := op(r.Context(), u, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.bookingJSON(b, u, loc))
}
