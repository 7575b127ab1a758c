package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/deletion"
)

// deletionJSON is what deleting the caller's account now would do, as the
// API shows it, and when the link that deletes it stops working.
type deletionJSON struct {
	BalanceCents    int64             `json:"balance_cents"`
	CardRefundCents int64             `json:"card_refund_cents"`
	ForfeitedCents  int64             `json:"forfeited_cents"`
	EarningsCents   int64             `json:"earnings_cents"`
	PayoutProblem   string            `json:"payout_problem"`
	OpenReadings    int               `json:"open_readings"`
	Live            bool              `json:"live"`
	Bookings        []bookingFateJSON `json:"bookings"`
	LinkExpiresAt   *time.Time        `json:"link_expires_at"` // nil: no link is waiting
}

// bookingFateJSON is what deleting the account does to one upcoming
// booking.
type bookingFateJSON struct {
	ID          int64     `json:"id"`
	StartsAt    time.Time `json:"starts_at"`
	Cancelled   bool      `json:"cancelled"`
	RefundCents int64     `json:"refund_cents"`
}

// deletionRequest is the body that asks for the deletion link.
type deletionRequest struct {
	CurrentPassword string `json:"current_password"`
	Code            string `json:"code"`
}

// deletionLinkJSON says until when the emailed deletion link works.
type deletionLinkJSON struct {
	LinkExpiresAt time.Time `json:"link_expires_at"`
}

// apiDeletionShow tells the caller what deleting their account now would
// do — to their wallet, earnings, open readings, upcoming bookings and
// live stream — and until when a deletion link already sent works
// (SEC-2).
func (s *Server) apiDeletionShow(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	p, err := s.Deletion.Preview(r.Context(), u)
	if err != nil {
		return err
	}
	out := previewJSON(p)
	expires, pending, err := s.Accounts.PendingDeletion(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if pending {
		out.LinkExpiresAt = &expires
	}
	return writeJSON(w, http.StatusOK, out)
}

// previewJSON is p as the API shows it, with no link waiting.
func previewJSON(p deletion.Preview) deletionJSON {
	out := deletionJSON{BalanceCents: p.BalanceCents, CardRefundCents: p.CardRefundCents, ForfeitedCents: p.KeptCents(),
		EarningsCents: p.EarningsCents, PayoutProblem: p.PayoutProblem, OpenReadings: p.OpenReadings, Live: p.Live,
		Bookings: make([]bookingFateJSON, 0, len(p.Bookings))}
	for _, f := range p.Bookings {
		out.Bookings = append(out.Bookings, bookingFateJSON{ID: f.Booking.ID, StartsAt: f.Booking.StartsAt, Cancelled: f.Cancelled, RefundCents: f.RefundCents})
	}
	return out
}

// apiDeletionCreate emails the caller the link that deletes their account
// (SEC-2) once their current password and, with two-factor sign-in, a
// code are right; a code counts against the two-factor limit (ACC-7,
// SEC-3). A refusal names the field and sends nothing; 202 answers when
// the link stops working.
func (s *Server) apiDeletionCreate(w http.ResponseWriter, r *http.Request) error {
	var req deletionRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	expires, err := s.requestDeletion(r, req.CurrentPassword, req.Code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, deletionLinkJSON{LinkExpiresAt: expires})
}
