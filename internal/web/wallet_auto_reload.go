package web

import (
	"net/http"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/autoreload"
	"github.com/soulseer/soulseer/internal/ledger"
)

// autoReloadPath is the auto-reload page, where saving a card returns.
const autoReloadPath = "/wallet/auto-reload"

// autoReloadPage is the data of the auto-reload page (WAL-12).
type autoReloadPage struct {
	Page
	Settings     autoreload.Settings
	Threshold    string // the threshold and amount in dollars, as shown or typed
	Amount       string
	Min, Max     int64
	MaxPerDay    int
	ReloadsToday int
	CardReturn   string // "saved" or "cancelled" when the card page sent the browser back
	Message      string
	Errors       map[string]string
}

// autoReloadData gathers the page for the signed-in user.
func (s *Server) autoReloadData(w http.ResponseWriter, r *http.Request) (autoReloadPage, error) {
	u := userOf(r)
	p := autoReloadPage{Page: s.page(w, r, "Auto-reload"), Min: s.Payments.MinTopUp, Max: s.Payments.MaxTopUp, MaxPerDay: s.Reloads.MaxPerDay}
	var err error
	if p.Settings, err = s.Reloads.Get(r.Context(), u.ID); err != nil {
		return p, err
	}
	if p.ReloadsToday, err = s.Reloads.ReloadsToday(r.Context(), u); err != nil {
		return p, err
	}
	if p.Settings.ThresholdCents > 0 {
		p.Threshold, p.Amount = dollars(p.Settings.ThresholdCents), dollars(p.Settings.AmountCents)
	}
	if c := r.URL.Query().Get("card"); c == "saved" || c == "cancelled" {
		p.CardReturn = c
	}
	return p, nil
}

// walletAutoReloadShow shows the client's auto-reload: off, waiting for a
// card, on with its card, or switched off by a refused card and why; with
// the form for the threshold and the amount (WAL-12).
func (s *Server) walletAutoReloadShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.autoReloadData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "wallet_auto_reload", p)
}

// walletAutoReloadUpdate turns auto-reload on with the threshold and the
// amount typed, and sends the browser to save a card when none is saved.
func (s *Server) walletAutoReloadUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	typed := [2]string{strings.TrimSpace(r.PostFormValue("threshold")), strings.TrimSpace(r.PostFormValue("amount"))}
	threshold, okT := ledger.ParseCents(typed[0])
	amount, okA := ledger.ParseCents(typed[1])
	fields := map[string]string{}
	if !okT {
		fields["threshold"] = moneyFieldError
	}
	if !okA {
		fields["amount"] = moneyFieldError
	}
	err := apperr.Validation(fields)
	var setup string
	if err == nil {
		_, setup, err = s.Reloads.Set(r.Context(), userOf(r), threshold, amount, autoReloadPath)
	}
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		p, derr := s.autoReloadData(w, r)
		if derr != nil {
			return derr
		}
		p.Threshold, p.Amount, p.Message = typed[0], typed[1], "Please check the amounts."
		p.Errors = fields
		for form, field := range map[string]string{"threshold": "threshold_cents", "amount": "amount_cents"} {
			if msg := e.Fields[field]; msg != "" {
				p.Errors[form] = msg
			}
		}
		return s.render(w, http.StatusBadRequest, "wallet_auto_reload", p)
	}
	if err != nil {
		return err
	}
	if setup != "" {
		http.Redirect(w, r, setup, http.StatusSeeOther)
		return nil
	}
	s.setFlash(w, "Auto-reload is saved: when a payment leaves your wallet under "+ledger.FormatCents(threshold)+", "+ledger.FormatCents(amount)+" is added from your card.")
	http.Redirect(w, r, autoReloadPath, http.StatusSeeOther)
	return nil
}

// walletAutoReloadOff turns auto-reload off and forgets its card.
func (s *Server) walletAutoReloadOff(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Reloads.TurnOff(r.Context(), userOf(r).ID); err != nil {
		return err
	}
	s.setFlash(w, "Auto-reload is off, and your card is no longer kept for it.")
	http.Redirect(w, r, autoReloadPath, http.StatusSeeOther)
	return nil
}
