package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/schedule"
)

// slotsResponse is open times on the viewer's clock, naming its zone.
type slotsResponse struct {
	TimeZone string          `json:"time_zone"`
	Slots    []schedule.Slot `json:"slots"`
}

// slotQuery reads from, to, duration and tz (SCH-3): tz is the viewer's
// zone (default: the signed-in viewer's, else UTC); from and to are RFC
// 3339 times or dates, a date meaning its midnight in tz; from defaults to
// now and to to a week after from.
func (s *Server) slotQuery(r *http.Request, q url.Values) (schedule.Window, *time.Location, error) {
	fields := map[string]string{}
	loc := userOf(r).Location()
	if tz := q.Get("tz"); tz != "" {
		name, err := account.ParseTimeZone(tz)
		if err != nil {
			fields["tz"] = err.Error()
		} else {
			loc, _ = time.LoadLocation(name)
		}
	}
	var win schedule.Window
	var ok bool
	if win.From, ok = parseWhen(q.Get("from"), loc, s.Clock.Now()); !ok {
		fields["from"] = "Use a date such as 2027-03-14 or a time such as 2027-03-14T09:00:00+01:00."
	}
	if win.To, ok = parseWhen(q.Get("to"), loc, win.From.AddDate(0, 0, 7)); !ok {
		fields["to"] = "Use a date such as 2027-03-21 or a time such as 2027-03-21T09:00:00+01:00."
	}
	if d := q.Get("duration"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			fields["duration"] = "Choose 15, 30, 45 or 60 minutes."
		}
		win.Duration = n
	}
	if err := apperr.Validation(fields); err != nil {
		return schedule.Window{}, nil, err
	}
	return win, loc, nil
}

// parseWhen reads an RFC 3339 time or a date (its midnight in loc); empty
// is def.
func parseWhen(s string, loc *time.Location, def time.Time) (time.Time, bool) {
	if s == "" {
		return def, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	return t, err == nil
}

// writeSlots answers open times on loc's clock.
func writeSlots(w http.ResponseWriter, loc *time.Location, list []schedule.Slot) error {
	for i := range list {
		list[i] = list[i].In(loc)
	}
	return writeJSON(w, http.StatusOK, slotsResponse{TimeZone: loc.String(), Slots: list})
}

// apiReaderSlotsList lists one visible reader's open times (SCH-2, SCH-3)
// in the viewer's zone, at most 31 days at a time.
func (s *Server) apiReaderSlotsList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	win, loc, err := s.slotQuery(r, r.URL.Query())
	if err != nil {
		return err
	}
	if _, err := s.Readers.Get(r.Context(), userOf(r), id); err != nil {
		return err
	}
	list, err := s.Schedule.Slots(r.Context(), id, win)
	if err != nil {
		return err
	}
	return writeSlots(w, loc, list)
}

// apiSlotsList lists open times across verified readers (SCH-3), filtered
// by time, length, specialty and modality, in the viewer's zone.
func (s *Server) apiSlotsList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	win, loc, err := s.slotQuery(r, q)
	if err != nil {
		return err
	}
	list, err := s.Schedule.Browse(r.Context(), schedule.BrowseFilter{Window: win, Specialty: q.Get("specialty"), Modality: reader.Modality(q.Get("modality")),
		ViewerID: userOf(r).ID})
	if err != nil {
		return err
	}
	return writeSlots(w, loc, list)
}
