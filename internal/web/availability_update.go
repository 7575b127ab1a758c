package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/schedule"
)

// availabilityForm is the availability form as typed: the page's values
// and the Availability they make, with where each weekly range came from.
type availabilityForm struct {
	page   availabilityPage
	in     schedule.Availability
	rowOf  []*clockRow // rowOf[i] is the grid row of in.Weekly[i]
	fields map[string]string
}

// readAvailabilityForm reads the availability form. A grid row left empty
// is no range; an end of 00:00 is midnight at the end of the day; the price
// of a length not offered is ignored.
func readAvailabilityForm(r *http.Request) availabilityForm {
	f := availabilityForm{fields: map[string]string{}, in: schedule.Availability{TimeZone: r.PostFormValue("time_zone"), Prices: map[string]int64{}}}
	p := &f.page
	p.TimeZone = f.in.TimeZone
	p.Days = make([]availabilityDay, len(weekdays))
	for i, day := range weekdays {
		starts, ends := r.PostForm["start_"+day], r.PostForm["end_"+day]
		p.Days[i].Name = day
		for j := range max(len(starts), len(ends)) {
			row := clockRow{Start: strings.TrimSpace(at(starts, j)), End: strings.TrimSpace(at(ends, j))}
			if row.Start != "" || row.End != "" {
				p.Days[i].Rows = append(p.Days[i].Rows, row)
			}
		}
	}
	for i, day := range weekdays {
		for j := range p.Days[i].Rows {
			row := &p.Days[i].Rows[j]
			end := row.End
			if end == "00:00" {
				end = "24:00"
			}
			f.in.Weekly = append(f.in.Weekly, schedule.Range{Weekday: day, Start: row.Start, End: end})
			f.rowOf = append(f.rowOf, row)
		}
	}
	chosen := map[string]bool{}
	for _, v := range r.PostForm["durations"] {
		chosen[v] = true
	}
	f.in.Durations = []int{}
	for _, m := range schedule.Durations {
		key := strconv.Itoa(m)
		c := lengthChoice{Minutes: m, Offered: chosen[key], Price: strings.TrimSpace(r.PostFormValue("price_" + key))}
		if c.Offered {
			f.in.Durations = append(f.in.Durations, m)
			if c.Price != "" {
				cents, ok := ledger.ParseCents(c.Price)
				if !ok {
					f.fields["prices."+key] = moneyFieldError
				}
				f.in.Prices[key] = cents
			}
		}
		p.Lengths = append(p.Lengths, c)
	}
	if len(chosen) > len(f.in.Durations) {
		f.fields["durations"] = "Choose lengths from 15, 30, 45 and 60 minutes."
	}
	p.Buffer, p.Notice, p.DaysAhead = r.PostFormValue("buffer_minutes"), r.PostFormValue("min_notice_minutes"), r.PostFormValue("max_days_ahead")
	for name, dst := range map[string]*int{"buffer_minutes": &f.in.BufferMinutes, "min_notice_minutes": &f.in.MinNoticeMinutes, "max_days_ahead": &f.in.MaxDaysAhead} {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			f.fields[name] = "Enter a whole number."
		}
		*dst = n
	}
	return f
}

// at is list[i], or "" past its end.
func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// show puts the typed values and errs into p, each error beside its field.
func (f availabilityForm) show(p *availabilityPage, errs map[string]string) {
	for i, row := range f.rowOf {
		row.StartErr = errs[fmt.Sprintf("weekly[%d].start", i)]
		row.EndErr = errs[fmt.Sprintf("weekly[%d].end", i)]
		if e := errs[fmt.Sprintf("weekly[%d].weekday", i)]; e != "" {
			row.StartErr = e
		}
	}
	for i := range f.page.Lengths {
		f.page.Lengths[i].Error = errs["prices."+strconv.Itoa(f.page.Lengths[i].Minutes)]
	}
	p.TimeZone, p.Days, p.Lengths = f.page.TimeZone, f.page.Days, f.page.Lengths
	p.Buffer, p.Notice, p.DaysAhead = f.page.Buffer, f.page.Notice, f.page.DaysAhead
}

// availabilityUpdate saves the availability page's weekly form (SCH-1): a
// refused value is shown beside its field, what was typed stays, and
// nothing changes.
func (s *Server) availabilityUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := readAvailabilityForm(r)
	err := apperr.Validation(f.fields)
	if err == nil {
		_, err = s.Schedule.Set(r.Context(), userOf(r), f.in)
	}
	if err != nil {
		return s.availabilityFormError(w, r, "weekly", err, func(p *availabilityPage) { f.show(p, p.Errors) })
	}
	s.setFlash(w, "Your availability is saved.")
	http.Redirect(w, r, "/reader/availability", http.StatusSeeOther)
	return nil
}
