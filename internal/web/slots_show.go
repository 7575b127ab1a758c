package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/schedule"
)

// slotsPage is "Book a time" across readers (SCH-3): open times filtered by
// dates, length, specialty and modality, on the viewer's clock, a day at a
// time and a reader at a time within it.
type slotsPage struct {
	Page
	From, To    string // the dates asked for, inclusive, as typed
	Duration    string
	Specialty   string
	Modality    string
	TimeZone    string
	TimeZones   []string
	Durations   []int
	Specialties []reader.Specialty
	Modalities  []reader.Modality
	Errors      map[string]string
	Days        []browseDay
	Truncated   bool // more open times matched than one page lists
}

// browseDay is one day of open times across readers.
type browseDay struct {
	Label   string // "Monday 12 January"
	Readers []browseReader
}

// browseReader is one reader's open times on one day, with their prices
// for the length.
type browseReader struct {
	Reader reader.Profile
	Prices []weekChoice
	Times  []slotTime
}

// slotsShow lists open times across verified readers (SCH-3): ?from= and
// ?to= are dates on the viewer's clock, both included (today and the six
// days after by default, at most 31 days); ?duration= a length (30 by
// default); ?specialty= and ?modality= narrow the readers; ?tz= names the
// clock (a signed-in viewer's own by default, else UTC). Each time links
// to its booking confirmation, in the modality asked for or the reader's
// first. A value that does not fit is shown beside its field.
func (s *Server) slotsShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := slotsPage{Page: s.page(w, r, "Book a time"), Duration: "30", Specialty: q.Get("specialty"), Modality: q.Get("modality"),
		TimeZones: account.TimeZones(), Durations: schedule.Durations, Specialties: reader.Specialties(), Modalities: reader.Modalities,
		Errors: map[string]string{}}
	loc := pageZone(r, time.UTC)
	if tz := q.Get("tz"); tz != "" {
		if name, err := account.ParseTimeZone(tz); err != nil {
			data.Errors["tz"] = err.Error()
		} else {
			loc, _ = time.LoadLocation(name)
		}
	}
	data.TimeZone = loc.String()
	now := s.Clock.Now().In(loc)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	if v := q.Get("from"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			data.Errors["from"] = "Use a date such as 2027-03-14."
		}
		from = t
	}
	last := from.AddDate(0, 0, 6)
	if v := q.Get("to"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			data.Errors["to"] = "Use a date such as 2027-03-21."
		}
		last = t
	}
	data.From, data.To = from.Format(time.DateOnly), last.Format(time.DateOnly)
	if v := q.Get("duration"); v != "" {
		data.Duration = v
	}
	minutes, err := strconv.Atoi(data.Duration)
	if err != nil {
		data.Errors["duration"] = "Choose 15, 30, 45 or 60 minutes."
	}
	if len(data.Errors) > 0 {
		return s.render(w, http.StatusBadRequest, "slots", data)
	}
	if last.Before(from) {
		data.Errors["to"] = "End on or after the first day."
		return s.render(w, http.StatusBadRequest, "slots", data)
	}
	list, err := s.Schedule.Browse(r.Context(), schedule.BrowseFilter{Window: schedule.Window{From: from, To: last.AddDate(0, 0, 1), Duration: minutes},
		Specialty: data.Specialty, Modality: reader.Modality(data.Modality)})
	if e := apperr.As(err); e != nil && len(e.Fields) > 0 {
		data.Errors = e.Fields
		return s.render(w, http.StatusBadRequest, "slots", data)
	}
	if err != nil {
		return err
	}
	data.Truncated = len(list) == schedule.MaxBrowse
	if data.Days, err = s.browseDays(r, list, loc, reader.Modality(data.Modality)); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "slots", data)
}

// browseDays groups open times by day on loc's clock and by reader within
// a day, in the order given; each time links to its confirmation in
// modality m, or in the reader's first when m is "".
func (s *Server) browseDays(r *http.Request, list []schedule.Slot, loc *time.Location, m reader.Modality) ([]browseDay, error) {
	profiles := map[int64]*reader.Profile{}
	var days []browseDay
	for _, sl := range list {
		p, ok := profiles[sl.ReaderID]
		if !ok {
			got, err := s.Readers.Get(r.Context(), userOf(r), sl.ReaderID)
			if apperr.CodeOf(err) == apperr.NotFound {
				profiles[sl.ReaderID] = nil
				continue
			}
			if err != nil {
				return nil, err
			}
			p, profiles[sl.ReaderID] = &got, &got
		}
		if p == nil {
			continue
		}
		t := sl.StartsAt.In(loc)
		label := t.Format("Monday 2 January")
		if len(days) == 0 || days[len(days)-1].Label != label {
			days = append(days, browseDay{Label: label})
		}
		day := &days[len(days)-1]
		i := 0
		for i < len(day.Readers) && day.Readers[i].Reader.UserID != sl.ReaderID {
			i++
		}
		if i == len(day.Readers) {
			day.Readers = append(day.Readers, browseReader{Reader: *p, Prices: slotPrices(sl.Prices)})
		}
		br := &day.Readers[i]
		mod := m
		if mod == "" && len(br.Prices) > 0 {
			mod = reader.Modality(br.Prices[0].Value)
		}
		br.Times = append(br.Times, slotTime{Label: t.Format("15:04"), URL: bookingNewURL(sl.ReaderID, t, sl.DurationMinutes, mod)})
	}
	return days, nil
}

// slotPrices lists an open time's price per modality offered, in display
// order.
func slotPrices(p schedule.Prices) []weekChoice {
	var out []weekChoice
	for _, c := range []struct {
		m     reader.Modality
		price *int64
	}{{reader.Text, p.Text}, {reader.Voice, p.Voice}, {reader.Video, p.Video}} {
		if c.price != nil {
			out = append(out, weekChoice{Value: string(c.m), Price: *c.price})
		}
	}
	return out
}
