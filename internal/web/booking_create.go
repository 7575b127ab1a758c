package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
)

// bookingCreate books the open time the confirmation form names (SCH-4)
// and shows the booking. The form's request key makes a double submit
// book once. A refusal shows the confirmation again saying why: the
// fields at fault, a time someone else took (with the way back to the
// week), or how much the wallet lacks (with the way to add it).
func (s *Server) bookingCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := readBookInput(id, r.PostForm)
	in.RequestKey = r.PostFormValue("request_key")
	b, replayed, err := s.Schedule.Book(r.Context(), userOf(r), in)
	switch code := apperr.CodeOf(err); code {
	case "":
		if !replayed {
			s.setFlash(w, fmt.Sprintf("Booked. %s was taken from your wallet and is held until the reading.", ledger.FormatCents(b.PriceCents)))
		}
		http.Redirect(w, r, fmt.Sprintf("/bookings/%d", b.ID), http.StatusSeeOther)
		return nil
	case apperr.Invalid, apperr.Conflict, apperr.Unprocessable, apperr.InsufficientFunds:
		data, derr := s.bookingNewData(w, r, in)
		if derr != nil {
			return derr
		}
		data.Message = apperr.MessageOf(err)
		if e := apperr.As(err); e != nil {
			data.Errors = e.Fields
		}
		return s.render(w, statusOf(code), "booking_new", data)
	}
	return err
}
