package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/schedule"
)

// bookingRequest is the body of POST /api/v1/bookings.
type bookingRequest struct {
	ReaderID        int64  `json:"reader_id"`
	StartsAt        string `json:"starts_at"` // RFC 3339
	DurationMinutes int    `json:"duration_minutes"`
	Modality        string `json:"modality"`
}

// apiBookingCreate books one of a reader's open times for the signed-in
// client (SCH-4), paying the price from their wallet into escrow: 201 with
// the booking. The Idempotency-Key header names the request: the same
// request sent again with the same key answers the booking it made (200)
// and charges nothing; a request without one is booked under a key of its
// own. A taken time is a 409, a short wallet a 402 naming what it holds
// and what is needed, a time outside the reader's availability, notice or
// booking window a 422.
func (s *Server) apiBookingCreate(w http.ResponseWriter, r *http.Request) error {
	var req bookingRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	loc, err := requestZone(r)
	if err != nil {
		return err
	}
	in := schedule.BookInput{ReaderID: req.ReaderID, DurationMinutes: req.DurationMinutes, Modality: req.Modality,
		RequestKey: r.Header.Get(idempotencyHeader)}
	if in.RequestKey == "" {
		in.RequestKey = payment.NewKey()
	}
	start, perr := time.Parse(time.RFC3339, req.StartsAt)
	if perr == nil {
		in.StartsAt = start
	}
	u := userOf(r)
	b, replayed, err := s.Schedule.Book(r.Context(), u, in)
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid && e.Fields != nil {
		if perr != nil && req.StartsAt != "" {
			e.Fields["starts_at"] = "Use a date and time such as 2027-03-14T09:00:00+01:00."
		}
	}
	keyAsHeader(err, "request_key")
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	return writeJSON(w, status, s.bookingJSON(b, u, loc))
}
