package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
)

// adminApplicationsPage is the data of the verification queue (ACC-8).
type adminApplicationsPage struct {
	Page
	Pending []reader.Application
	Decided []reader.Application // the latest decisions, newest first
	// Refused is the application whose rejection was refused, with the
	// reason as typed and its error.
	Refused int64
	Reason  string
	Errors  map[string]string
}

// adminApplicationsData gathers the verification queue.
func (s *Server) adminApplicationsData(w http.ResponseWriter, r *http.Request) (adminApplicationsPage, error) {
	p := adminApplicationsPage{Page: s.page(w, r, "Applications")}
	var err error
	if p.Pending, err = s.Readers.Applications(r.Context(), reader.ApplicationPending); err != nil {
		return p, err
	}
	all, err := s.Readers.Applications(r.Context(), "")
	if err != nil {
		return p, err
	}
	for _, a := range all {
		if a.Status != reader.ApplicationPending && len(p.Decided) < 20 {
			p.Decided = append(p.Decided, a)
		}
	}
	return p, nil
}

// adminApplicationsShow renders the verification queue: applications to
// become a reader waiting for a decision, oldest first, each with its
// profile, sample reading and approve and reject buttons, then the latest
// decisions (ACC-8).
func (s *Server) adminApplicationsShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.adminApplicationsData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_applications", p)
}

// adminApplicationApprove makes the applicant a verified reader with the
// profile of their application; audited, the applicant told (ACC-8).
func (s *Server) adminApplicationApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.Readers.ApproveApplication(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	s.setFlash(w, fmt.Sprintf("%s is now a verified reader and has been told.", a.DisplayName))
	http.Redirect(w, r, "/admin/applications", http.StatusSeeOther)
	return nil
}

// adminApplicationReject turns an application down with the reason the
// applicant is told; without a reason nothing changes and the queue shows
// the error beside that application's form (ACC-8).
func (s *Server) adminApplicationReject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	a, err := s.Readers.RejectApplication(r.Context(), userOf(r), id, reason)
	if apperr.CodeOf(err) == apperr.Invalid {
		p, derr := s.adminApplicationsData(w, r)
		if derr != nil {
			return derr
		}
		p.Refused, p.Reason, p.Errors = id, reason, apperr.As(err).Fields
		return s.render(w, http.StatusBadRequest, "admin_applications", p)
	}
	if err != nil {
		return err
	}
	s.setFlash(w, fmt.Sprintf("The application of %s is rejected and they have been told why.", a.DisplayName))
	http.Redirect(w, r, "/admin/applications", http.StatusSeeOther)
	return nil
}
