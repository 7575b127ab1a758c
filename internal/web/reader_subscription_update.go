package web

import (
	"net/http"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
)

// readerSubscriptionUpdate sets the reader's monthly subscription price
// from their profile editor (LIV-3): a price in dollars, empty or 0 (or
// the Turn off button) for none. A price that is not money, or out of the
// bounds live.SetSubscriptionPrice keeps, is shown beside the field (400).
func (s *Server) readerSubscriptionUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u := userOf(r)
	typed := strings.TrimSpace(r.PostFormValue("price"))
	var cents int64
	var err error
	if r.PostFormValue("off") == "" && typed != "" {
		var ok bool
		if cents, ok = ledger.ParseCents(typed); !ok {
			err = apperr.Validation(map[string]string{"price_cents": moneyFieldError})
		}
	}
	if err == nil {
		err = s.Live.SetSubscriptionPrice(r.Context(), u, cents)
	}
	if apperr.CodeOf(err) == apperr.Invalid {
		p, gerr := s.Readers.Get(r.Context(), u, u.ID)
		if gerr != nil {
			return gerr
		}
		form, gerr := s.profileForm(w, r, p)
		if gerr != nil {
			return gerr
		}
		form.Errors, form.SubPrice = apperr.As(err).Fields, typed
		return s.render(w, http.StatusBadRequest, "reader_profile", form)
	}
	if err != nil {
		return err
	}
	if cents == 0 {
		s.setFlash(w, "You offer no monthly subscription: nobody new can subscribe, and running subscriptions end with the month their holders paid for, who are told.")
	} else {
		s.setFlash(w, "Your monthly subscription costs "+ledger.FormatCents(cents)+". Running subscriptions keep the price they were taken at.")
	}
	http.Redirect(w, r, "/reader/profile", http.StatusSeeOther)
	return nil
}
