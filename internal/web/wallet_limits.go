package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/limits"
)

// limitsPage is the data of the spending limits page (WAL-11).
type limitsPage struct {
	Page
	Limits               limits.Settings
	SpentDay, SpentMonth int64
	PerReading           string // the caps in dollars, as shown or typed
	Daily                string
	Monthly              string
	PauseDays            []int
	Now                  time.Time
	Message              string
	Errors               map[string]string
}

// limitField is one cap's input.
type limitField struct{ Name, Label, Value, Hint, Error string }

// Field returns the cap input name with its label, value and hint.
func (p limitsPage) Field(name, label, value, hint string) limitField {
	return limitField{Name: name, Label: label, Value: value, Hint: hint, Error: p.Errors[name]}
}

// Cap shows a cap, or "none".
func (limitsPage) Cap(c *int64) string {
	if c == nil {
		return "none"
	}
	return ledger.FormatCents(*c)
}

// Paused reports whether spending is paused now.
func (p limitsPage) Paused() bool { return p.Limits.Current.Paused(p.Now) }

// limitsData gathers the page for the signed-in user.
func (s *Server) limitsData(w http.ResponseWriter, r *http.Request) (limitsPage, error) {
	u := userOf(r)
	p := limitsPage{Page: s.page(w, r, "Spending limits"), PauseDays: limits.PauseDays, Now: s.Clock.Now()}
	var err error
	if p.Limits, err = s.Limits.Get(r.Context(), u.ID); err != nil {
		return p, err
	}
	if p.SpentDay, p.SpentMonth, err = s.Limits.Spent(r.Context(), u.ID, u.Location()); err != nil {
		return p, err
	}
	want := p.Limits.Current
	if p.Limits.Pending != nil {
		want = *p.Limits.Pending
	}
	p.PerReading, p.Daily, p.Monthly = capDollars(want.PerReading), capDollars(want.Daily), capDollars(want.Monthly)
	return p, nil
}

func capDollars(c *int64) string {
	if c == nil {
		return ""
	}
	return dollars(*c)
}

// walletLimitsShow shows the caps, what was spent today and this month,
// the pause, and what waits 24 hours (WAL-11).
func (s *Server) walletLimitsShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.limitsData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "wallet_limits", p)
}

// parseCaps reads the three caps of a form, in dollars; empty means none.
func parseCaps(get func(string) string) (caps [3]*int64, typed [3]string, err error) {
	fields := map[string]string{}
	for i, name := range []string{"per_reading", "daily", "monthly"} {
		typed[i] = strings.TrimSpace(get(name))
		if typed[i] == "" {
			continue
		}
		c, ok := ledger.ParseCents(typed[i])
		if !ok || c == 0 {
			fields[name] = "Enter an amount in dollars, such as 25 or 3.99, or leave it empty for no limit."
			continue
		}
		caps[i] = &c
	}
	return caps, typed, apperr.Validation(fields)
}

// walletLimitsUpdate sets the caps: a lower one at once, a higher one or
// none after 24 hours (WAL-11).
func (s *Server) walletLimitsUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	caps, typed, err := parseCaps(r.PostFormValue)
	var st limits.Settings
	if err == nil {
		st, err = s.Limits.SetCaps(r.Context(), userOf(r).ID, caps[0], caps[1], caps[2])
	}
	if e := apperr.As(err); e != nil {
		p, derr := s.limitsData(w, r)
		if derr != nil {
			return derr
		}
		p.PerReading, p.Daily, p.Monthly = typed[0], typed[1], typed[2]
		p.Message, p.Errors = e.Message, e.Fields
		return s.render(w, statusOf(e.Code), "wallet_limits", p)
	}
	if err != nil {
		return err
	}
	msg := "Your limits are saved and apply now."
	if st.Pending != nil {
		msg = "Your limits are saved. Lower limits apply now; higher ones, and removing one, apply 24 hours from now."
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/wallet/limits", http.StatusSeeOther)
	return nil
}

// walletLimitsPause starts a cooling-off pause of 1, 7 or 30 days at once.
func (s *Server) walletLimitsPause(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	days, _ := strconv.Atoi(r.PostFormValue("days"))
	st, err := s.Limits.Pause(r.Context(), userOf(r).ID, days)
	if err != nil {
		return err
	}
	s.setFlash(w, "Spending is paused until "+st.Current.PausedUntil.UTC().Format("2 January 2006, 15:04")+" UTC.")
	http.Redirect(w, r, "/wallet/limits", http.StatusSeeOther)
	return nil
}

// walletLimitsPauseEnd asks to end the pause early: it ends 24 hours from
// now (or when it was due to, if sooner).
func (s *Server) walletLimitsPauseEnd(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Limits.EndPause(r.Context(), userOf(r).ID); err != nil {
		return err
	}
	s.setFlash(w, "Your pause ends 24 hours from now, or sooner if it was due to end before.")
	http.Redirect(w, r, "/wallet/limits", http.StatusSeeOther)
	return nil
}
