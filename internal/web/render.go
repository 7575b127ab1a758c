package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/markup"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

//go:embed templates
var templateFS embed.FS

// pages holds every page template, parsed once at start-up.
type pages struct {
	byName map[string]*template.Template
}

// Page is what every page template receives: the signed-in user, the title,
// a one-time flash message and site-wide settings.
type Page struct {
	Title    string
	User     account.User
	Path     string
	Flash    string
	OIDCName string // non-empty when "Continue with …" sign-in is configured
	Balance  int64  // the signed-in user's wallet balance, shown in the header
	TestMode bool   // payments go through the built-in test checkout: every page says so (WAL-13)

	// UnreadMessages is how many messages the signed-in user has not read:
	// the count in the header beside the link to the inbox (MSG-5).
	UnreadMessages int

	// UnreadNotifications is the number on the header's bell (MSG-2).
	UnreadNotifications int

	// Earnings is a reader's earnings not yet paid out: the header shows
	// readers these, and their wallet only when it holds something.
	Earnings int64

	// PendingFlags is, for admins, how many flagged items wait in the
	// moderation queue: the number beside Flags in the admin navigation
	// (COM-6).
	PendingFlags int
}

// SignedIn reports whether a user is signed in.
func (p Page) SignedIn() bool { return p.User.ID != 0 }

// IsReader reports whether the signed-in user is a reader.
func (p Page) IsReader() bool { return p.User.Role == account.RoleReader }

// IsAdmin reports whether the signed-in user is an admin.
func (p Page) IsAdmin() bool { return p.User.Role == account.RoleAdmin }

// dateLayout is how pages and messages write a date, e.g. 2 Jan 2006.
const dateLayout = "2 Jan 2006"

// templateFuncs are the functions every template may call; unit names the
// site's billing period, so prices read "/min" only when a billed period is
// a minute.
func templateFuncs(sf *staticFiles, unit reading.Unit) template.FuncMap {
	return template.FuncMap{
		"per":       func() string { return unit.Per },
		"periods":   unit.Count,
		"count":     countOf,
		"static":    sf.url,
		"money":     ledger.FormatCents,
		"avatar":    avatarURL,
		"specialty": reader.SpecialtyName,
		"initials":  initials,
		"rating":    func(v float64) string { return fmt.Sprintf("%.1f", v) },
		"date":      func(t time.Time) string { return t.Format(dateLayout) },
		"datetime":  func(t time.Time) string { return t.Format("2 Jan 2006 15:04 MST") },
		"join":      strings.Join,
		"add":       func(a, b int) int { return a + b },
		"title":     titleCase,
		"lines":     func(s string) []string { return strings.Split(s, "\n") },
		"list":      func(s ...string) []string { return s },
		"div": func(a, b int64) int64 {
			if b == 0 {
				return 0
			}
			return a / b
		},
		"duration":  formatDuration,
		"stars":     stars,
		"icon":      icon,
		"clock":     func(t time.Time) string { return t.Format("15:04") },
		"endReason": endReasonText,
		"auditText": auditText,
		"maxSearch": func() int { return db.MaxSearchLen },
		"linkify":   markup.Linkify,
		"modality":  func(m string) reader.Modality { return reader.Modality(m) },
		"mul":       func(a, b int64) int64 { return a * b },
		"filesize":  fileSize,
		"favoriteButton": func(id int64, on bool) favoriteButton {
			return favoriteButton{ReaderID: id, IsFavorite: on}
		},
		"reviewItem": func(rv reading.Review, canReply bool, next string) reviewItem {
			return reviewItem{Review: rv, CanReply: canReply, Next: next}
		},
	}
}

// parsePages parses the layout and partials with each page file. A missing
// or broken template fails here, at start-up.
func parsePages(sf *staticFiles, unit reading.Unit) (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".html")
		t, err := template.New("layout.html").Funcs(templateFuncs(sf, unit)).ParseFS(templateFS,
			"templates/layout.html", "templates/partials/*.html", file)
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// formatDuration renders seconds as "1h 02m", "12m 05s" or "45s".
func formatDuration(sec float64) string {
	d := time.Duration(sec) * time.Second
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}

// endReasonText says in words why a reading ended.
func endReasonText(reason string) string {
	switch reason {
	case reading.EndDeclined:
		return "The reader declined the request."
	case reading.EndExpired:
		return "The reader did not answer in time."
	case reading.EndCancelled:
		return "The request was cancelled."
	case reading.EndByClient:
		return "Ended by the client."
	case reading.EndByReader:
		return "Ended by the reader."
	case reading.EndGraceExpired:
		return "Ended after the connection did not come back."
	case reading.EndAbuse:
		return "Ended after repeated disconnections."
	case reading.EndNoFunds:
		return "Cancelled: the balance did not cover the start of the reading."
	}
	return ""
}

// auditActions says in words what each audited action did.
var auditActions = map[string]string{
	"user.set_role":                "Changed a user's role",
	"reader.verify":                "Verified a reader",
	"reader.unverify":              "Withdrew a reader's verification",
	"reader.kyc":                   "Recorded a KYC status",
	"reader.application_approve":   "Approved an application to become a reader",
	"reader.application_reject":    "Rejected an application to become a reader",
	"wallet.refund_card":           "Refunded a top-up to the card",
	"wallet.refund_card_failed":    "Card refund not made; wallet restored",
	"wallet.refund_card_review":    "Card refund unanswered by Stripe; waiting for review",
	"wallet.refund_card_confirmed": "Confirmed a card refund found at Stripe",
	"wallet.refund_card_retry":     "Sent a card refund to Stripe again",
	"wallet.refund_wallet":         "Refunded a charge to the wallet",
	"wallet.adjust":                "Adjusted a wallet",
	"wallet.adjust_request":        "Asked to credit their own wallet",
	"wallet.adjust_approve":        "Approved another admin's credit to their own wallet",
	"wallet.adjust_reject":         "Rejected another admin's credit to their own wallet",
	"wallet.card_refund_external":  "Stripe refund taken from a wallet",
	"wallet.dispute_hold":          "Held money during a card dispute",
	"wallet.dispute_closed":        "Closed a card dispute",
	"reading.auto_credit":          "Credited a reading that dropped early",
	"reading.claim_approved":       "Approved a satisfaction claim",
	"reading.claim_rejected":       "Rejected a satisfaction claim",
}

// auditText says in words what an audited action did; unknown actions show
// as recorded.
func auditText(action string) string {
	if t, ok := auditActions[action]; ok {
		return t
	}
	return action
}

// avatarURL returns where a stored avatar is served, or "" for none.
func avatarURL(key string) string {
	if key == "" {
		return ""
	}
	return "/media/" + key
}

func initials(name string) string {
	var out []rune
	for _, f := range strings.Fields(name) {
		r := []rune(f)
		if len(r) > 0 && unicode.IsLetter(r[0]) {
			out = append(out, unicode.ToUpper(r[0]))
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

func titleCase(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// flashCookie carries a one-time message across a redirect.
const flashCookie = "soulseer_flash"

// setFlash shows msg on the next page the browser loads.
func (s *Server) setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
}

// page builds the common page data and consumes the flash message.
func (s *Server) page(w http.ResponseWriter, r *http.Request, title string) Page {
	p := Page{Title: title, User: userOf(r), Path: r.URL.Path, TestMode: s.Config.TestPayments()}
	if p.User.ID != 0 {
		bal, err := s.Ledger.Balance(r.Context(), s.DB.Read(), ledger.Wallet(p.User.ID))
		if err != nil {
			s.log.Warn("read balance for header", "user", p.User.ID, "err", err)
		}
		p.Balance = bal
		if p.IsReader() {
			if p.Earnings, err = s.Ledger.Balance(r.Context(), s.DB.Read(), ledger.Earnings(p.User.ID)); err != nil {
				s.log.Warn("read earnings for header", "user", p.User.ID, "err", err)
			}
		}
		if p.UnreadMessages, err = s.Messages.UnreadTotal(r.Context(), p.User.ID); err != nil {
			s.log.Warn("read unread messages for header", "user", p.User.ID, "err", err)
		}
		if p.UnreadNotifications, err = s.Notify.Unread(r.Context(), p.User.ID); err != nil {
			s.log.Warn("read unread notifications for header", "user", p.User.ID, "err", err)
		}
		if p.IsAdmin() {
			if p.PendingFlags, err = s.Flags.PendingCount(r.Context()); err != nil {
				s.log.Warn("read pending flags for the admin navigation", "err", err)
			}
		}
	}
	if s.OIDC != nil {
		p.OIDCName = s.OIDC.Name
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		p.Flash, _ = url.QueryUnescape(c.Value)
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	}
	return p
}

// render executes a whole page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) error {
	return s.renderBlock(w, status, name, "layout.html", data)
}

// renderBlock executes one named block of a page (the whole page is the
// block "layout.html"; htmx partial updates ask for smaller ones). Output is
// buffered, so a template error becomes a clean 500 rather than half a page.
func (s *Server) renderBlock(w http.ResponseWriter, status int, name, block string, data any) error {
	t, ok := s.pages.byName[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return fmt.Errorf("web: render %s/%s: %w", name, block, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// errorPage is the data of the error page.
type errorPage struct {
	Page
	Status  int
	Message string
}

// renderError shows an error page with the error's status and message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	code := apperr.CodeOf(err)
	status := statusOf(code)
	s.serverFault(r, status, code, err)
	if e := apperr.As(err); e != nil && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(e.RetryAfter.Seconds())))
	}
	p := errorPage{Page: s.page(w, r, http.StatusText(status)), Status: status, Message: apperr.MessageOf(err)}
	if rerr := s.render(w, status, "error", p); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, p.Message, status)
	}
}

// countOf says n things in words that agree with n: "1 review", "3 reviews".
func countOf(n any, one, many string) string {
	s := fmt.Sprint(n)
	if s == "1" {
		return s + " " + one
	}
	return s + " " + many
}
