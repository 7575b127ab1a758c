package web

import (
	"net/http"
	"strconv"
	"time"

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
}

// adminAuditList shows the audit log with filters (SEC-4).
func (s *Server) adminAuditList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := audit.Filter{Action: q.Get("action"), Model: q.Get("model"), ObjectID: q.Get("object"), Limit: 200}
	if t, err := time.Parse("2006-01-02", q.Get("from")); err == nil {
		f.From = t
	}
	if t, err := time.Parse("2006-01-02", q.Get("to")); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	entries, err := audit.List(r.Context(), s.DB.Read(), f)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_audit", adminAuditPage{Page: s.page(w, r, "Audit log"), Entries: entries,
		Action: f.Action, Model: f.Model, Object: f.ObjectID, From: q.Get("from"), To: q.Get("to")})
}
