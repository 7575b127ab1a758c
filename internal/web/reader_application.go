package web

import (
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
)

// applicationPage is the data of the "Become a reader" page (ACC-8).
type applicationPage struct {
	Page
	Latest      reader.Application // the user's latest application, if HasLatest
	HasLatest   bool
	Form        reader.ApplicationInput // what the form shows: typed values, or the last application's
	Years       string                  // years of experience as typed
	Specialties []reader.Specialty
	Message     string
	Errors      map[string]string
}

// CanApply reports whether the form is offered: to clients without an
// application waiting for review.
func (p applicationPage) CanApply() bool {
	return p.User.Role == account.RoleClient && !(p.HasLatest && p.Latest.Status == reader.ApplicationPending)
}

// Chosen is the set of specialties the form shows ticked.
func (p applicationPage) Chosen() map[string]bool {
	out := map[string]bool{}
	for _, sp := range p.Form.Specialties {
		out[sp] = true
	}
	return out
}

// applicationData gathers the page, its form filled from in.
func (s *Server) applicationData(w http.ResponseWriter, r *http.Request, in reader.ApplicationInput, years string) (applicationPage, error) {
	p := applicationPage{Page: s.page(w, r, "Become a reader"), Form: in, Years: years, Specialties: reader.Specialties()}
	a, err := s.Readers.MyApplication(r.Context(), p.User.ID)
	switch {
	case err == nil:
		p.Latest, p.HasLatest = a, true
	case apperr.CodeOf(err) != apperr.NotFound:
		return p, err
	}
	return p, nil
}

// readerApplicationShow renders "Become a reader": the application form for
// clients, and where their latest application stands — waiting, or turned
// down with the reason — so they may apply again (ACC-8).
func (s *Server) readerApplicationShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.applicationData(w, r, reader.ApplicationInput{DisplayName: userOf(r).DisplayName}, "")
	if err != nil {
		return err
	}
	if a := p.Latest; p.HasLatest { // a rejected applicant starts again from what they sent
		p.Form = reader.ApplicationInput{DisplayName: a.DisplayName, Specialties: a.Specialties, YearsExperience: a.YearsExperience,
			Languages: a.Languages, Bio: a.Bio, SampleReading: a.SampleReading}
		p.Years = strconv.Itoa(a.YearsExperience)
	}
	return s.render(w, http.StatusOK, "become_reader", p)
}

// readerApplicationCreate sends a client's application to the admins'
// verification queue (ACC-8); a refused field is shown beside itself and
// nothing is stored.
func (s *Server) readerApplicationCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := reader.ApplicationInput{DisplayName: r.PostFormValue("display_name"), Specialties: r.PostForm["specialties"],
		Languages: strings.Split(r.PostFormValue("languages"), ","), Bio: r.PostFormValue("bio"),
		SampleReading: r.PostFormValue("sample_reading"), KYCConsent: r.PostFormValue("kyc_consent") != ""}
	years := strings.TrimSpace(r.PostFormValue("years_experience"))
	var err error
	if n, aerr := strconv.Atoi(years); aerr == nil || years == "" {
		in.YearsExperience = n
		_, err = s.Readers.Apply(r.Context(), userOf(r), in)
	} else {
		fields := map[string]string{"years_experience": "Enter a whole number of years."}
		if e := apperr.As(in.Validate()); e != nil {
			maps.Copy(fields, e.Fields)
		}
		err = apperr.Validation(fields)
	}
	if err != nil {
		code := apperr.CodeOf(err)
		if code != apperr.Invalid && code != apperr.Conflict {
			return err
		}
		p, derr := s.applicationData(w, r, in, years)
		if derr != nil {
			return derr
		}
		p.Message = apperr.MessageOf(err)
		if e := apperr.As(err); e != nil {
			p.Errors = e.Fields
		}
		return s.render(w, statusOf(code), "become_reader", p)
	}
	s.setFlash(w, "Your application is sent. An admin will review it; we will tell you the decision here and by email.")
	http.Redirect(w, r, "/become-a-reader", http.StatusSeeOther)
	return nil
}
