package web

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/schedule"
)

// bookingNewPage is the booking confirmation (SCH-4): the open time on the
// viewer's clock, its price, the wallet balance and the refund policy,
// with the form that books it while the time is open.
type bookingNewPage struct {
	Page
	Reader           reader.Profile
	StartsAt, EndsAt time.Time // on the viewer's clock
	Zone             string
	Duration         int
	Modality         reader.Modality
	Price            int64  // known while the time is open
	Open             bool   // the time is still open in this modality: the form shows
	Short            int64  // what the wallet lacks for the price, 0 when it covers it
	Key              string // names this form's request, so a double submit books once
	WeekURL          string // the reader's week view around the time
	Policy           refundPolicy
	Message          string            // why booking was refused
	Errors           map[string]string // the refused fields
}

// DayText is the booking's date on the viewer's clock.
func (p bookingNewPage) DayText() string { return p.StartsAt.Format("Monday 2 January 2006") }

// HoursText is the booking's time of day on the viewer's clock.
func (p bookingNewPage) HoursText() string {
	return p.StartsAt.Format("15:04") + "–" + p.EndsAt.Format("15:04")
}

// errNoOpenTime is the answer to a confirmation address that names no
// open time.
var errNoOpenTime = apperr.Errorf(apperr.Invalid, "This address does not name an open time. Please choose one from the reader's profile.")

// readBookInput reads the open time a confirmation page or its form names:
// starts_at (RFC 3339), duration (minutes) and modality. Values that do
// not parse stay zero for Book to name.
func readBookInput(readerID int64, v url.Values) schedule.BookInput {
	in := schedule.BookInput{ReaderID: readerID, Modality: v.Get("modality")}
	in.StartsAt, _ = time.Parse(time.RFC3339, v.Get("starts_at"))
	in.DurationMinutes, _ = strconv.Atoi(v.Get("duration"))
	return in
}

// bookingNewData gathers the confirmation of in for the signed-in viewer
// of r. A time that is no longer open, or a modality the reader does not
// offer, shows without the form and says so.
func (s *Server) bookingNewData(w http.ResponseWriter, r *http.Request, in schedule.BookInput) (bookingNewPage, error) {
	u := userOf(r)
	m, ok := reader.ParseModality(in.Modality)
	if !ok || in.StartsAt.IsZero() || in.DurationMinutes == 0 {
		return bookingNewPage{}, errNoOpenTime
	}
	if u.ID == in.ReaderID {
		return bookingNewPage{}, apperr.Errorf(apperr.Invalid, "You cannot book a reading with yourself.")
	}
	p, err := s.Readers.Get(r.Context(), u, in.ReaderID)
	if err != nil {
		return bookingNewPage{}, err
	}
	list, err := s.Schedule.Slots(r.Context(), in.ReaderID, schedule.Window{From: in.StartsAt, To: in.StartsAt.Add(time.Millisecond), Duration: in.DurationMinutes})
	if apperr.CodeOf(err) == apperr.Invalid {
		return bookingNewPage{}, errNoOpenTime
	}
	if err != nil {
		return bookingNewPage{}, err
	}
	loc := u.Location()
	data := bookingNewPage{Page: s.page(w, r, "Book "+p.DisplayName), Reader: p, StartsAt: in.StartsAt.In(loc),
		EndsAt: in.StartsAt.Add(time.Duration(in.DurationMinutes) * time.Minute).In(loc), Zone: loc.String(),
		Duration: in.DurationMinutes, Modality: m, Key: rand.Text(), Policy: s.refundPolicy()}
	day := data.StartsAt
	data.WeekURL = fmt.Sprintf("/readers/%d?%s#book", p.UserID, url.Values{"week": {day.Format(time.DateOnly)},
		"duration": {strconv.Itoa(in.DurationMinutes)}, "modality": {string(m)}}.Encode())
	if len(list) == 0 || !list[0].StartsAt.Equal(in.StartsAt) {
		data.Message = "This time is no longer open. Please choose another."
		return data, nil
	}
	for _, c := range slotPrices(list[0].Prices) {
		if c.Value == string(m) {
			data.Open, data.Price = true, c.Price
		}
	}
	if !data.Open {
		data.Message = fmt.Sprintf("%s does not offer this kind of reading. Please choose another.", p.DisplayName)
	}
	data.Short = max(data.Price-data.Balance, 0)
	return data, nil
}

// bookingNew renders the confirmation of one open time of a reader
// (SCH-4), named by ?starts_at=&duration=&modality=, with the refund
// policy and the viewer's balance.
func (s *Server) bookingNew(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := s.bookingNewData(w, r, readBookInput(id, r.URL.Query()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "booking_new", data)
}
