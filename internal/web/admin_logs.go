package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/mail"
)

// adminOutboxPage is the data of the email outbox page.
type adminOutboxPage struct {
	Page
	Emails []mail.Email
	To     string
	Open   int64
}

// adminOutboxList shows the email outbox, where mail waits when no SMTP
// server is configured (EXT-6).
func (s *Server) adminOutboxList(w http.ResponseWriter, r *http.Request) error {
	to := r.URL.Query().Get("to")
	emails, err := s.Mail.Recent(r.Context(), to, 100)
	if err != nil {
		return err
	}
	open, _ := strconv.ParseInt(r.URL.Query().Get("open"), 10, 64)
	return s.render(w, http.StatusOK, "admin_outbox", adminOutboxPage{Page: s.page(w, r, "Email outbox"), Emails: emails, To: to, Open: open})
}

// adminAuditPage is the data of the audit log page.
type adminAuditPage struct {
	Page
	Entries []audit.Entry
	Action  string
	Model   string
	Object  string
	From    string
	To      string
	Errors  map[string]string
}

// adminAuditList shows the audit log with filters (SEC-4); filters the log
// refuses show the latest records and say why (400).
func (s *Server) adminAuditList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := audit.Filter{Action: q.Get("action"), Model: q.Get("model"), ObjectID: q.Get("object"), Limit: 200}
	if t, err := time.Parse("2006-01-02", q.Get("from")); err == nil {
		f.From = t
	}
	if t, err := time.Parse("2006-01-02", q.Get("to")); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	data := adminAuditPage{Page: s.page(w, r, "Audit log"), Action: f.Action, Model: f.Model, Object: f.ObjectID, From: q.Get("from"), To: q.Get("to")}
	status := http.StatusOK
	if err := f.Validate(); err != nil {
		data.Errors, status = apperr.As(err).Fields, http.StatusBadRequest
		f = audit.Filter{Limit: 200}
	}
	var err error
	if data.Entries, err = audit.List(r.Context(), s.DB.Read(), f); err != nil {
		return err
	}
	return s.render(w, status, "admin_audit", data)
}
