package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/autoreload"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/redirect"
)

// topUpPresets are the one-tap amounts on the wallet page, in cents.
var topUpPresets = []int64{10_00, 25_00, 50_00, 100_00}

// walletPage is the data of the wallet page.
type walletPage struct {
	Page     // Page.Balance is the wallet's balance
	Held     int64
	Entries  []ledger.Entry
	Presets  []int64
	Min, Max int64
	TestMode bool
	Just     *payment.TopUp // the top-up the browser just returned from
	Errors   map[string]string
	Amount   string
	// Next is the page that sent the client here for funds (a reader's
	// profile when the balance did not cover a reading); paying returns
	// there.
	Next string
	// AutoReload is the client's auto-reload, summed up beside the
	// balance (WAL-12).
	AutoReload autoreload.Settings
}

// walletShow renders the wallet: balance, top-up form and the last 10
// transactions (WAL-4, WAL-6).
func (s *Server) walletShow(w http.ResponseWriter, r *http.Request) error {
	data := walletPage{Page: s.page(w, r, "Wallet"), Presets: topUpPresets, Min: s.Payments.MinTopUp, Max: s.Payments.MaxTopUp,
		TestMode: s.Payments.Gateway.Mode() == "test"}
	data.Just, data.Next = s.returnedTopUp(r), returnPath(r.URL.Query().Get("next"))
	if err := s.fillWallet(r, &data); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "wallet", data)
}

// returnedTopUp is the signed-in user's top-up the checkout just sent the
// browser back from (?topup=ID), or nil.
func (s *Server) returnedTopUp(r *http.Request) *payment.TopUp {
	id, err := strconv.ParseInt(r.URL.Query().Get("topup"), 10, 64)
	if err != nil {
		return nil
	}
	t, err := s.Payments.TopUp(r.Context(), userOf(r), id)
	if err != nil {
		return nil
	}
	return &t
}

// returnPath is next when it is a path on this site without a query, which
// a checkout can return to; otherwise "".
func returnPath(next string) string {
	if p := redirect.Local(next, ""); !strings.ContainsAny(p, "?#") {
		return p
	}
	return ""
}

func (s *Server) fillWallet(r *http.Request, data *walletPage) error {
	u := userOf(r)
	var err error
	if data.Held, err = s.Ledger.Balance(r.Context(), s.DB.Read(), ledger.Hold(u.ID)); err != nil {
		return err
	}
	if data.Entries, err = s.Ledger.Entries(r.Context(), ledger.Wallet(u.ID), ledger.EntryFilter{Limit: 10}); err != nil {
		return err
	}
	data.AutoReload, err = s.Reloads.Get(r.Context(), u.ID)
	return err
}

// walletEntriesShow renders just the recent transactions, for live refresh.
func (s *Server) walletEntriesShow(w http.ResponseWriter, r *http.Request) error {
	data := walletPage{Page: s.page(w, r, "Wallet")}
	if err := s.fillWallet(r, &data); err != nil {
		return err
	}
	return s.renderBlock(w, http.StatusOK, "wallet", "wallet_entries", data)
}

// topUpCreate starts a top-up from the wallet form and sends the browser to
// the checkout page (Stripe Checkout, or the test-mode page).
func (s *Server) topUpCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	raw := r.PostFormValue("amount")
	cents, ok := ledger.ParseCents(raw)
	err := apperr.Validation(map[string]string{"amount_cents": moneyFieldError})
	if ok {
		var t payment.TopUp
		if t, err = s.Payments.CreateTopUp(r.Context(), userOf(r), cents, r.PostFormValue("return_to")); err == nil {
			http.Redirect(w, r, t.CheckoutURL, http.StatusSeeOther)
			return nil
		}
	}
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid {
		return err
	}
	data := walletPage{Page: s.page(w, r, "Wallet"), Presets: topUpPresets, Min: s.Payments.MinTopUp, Max: s.Payments.MaxTopUp,
		TestMode: s.Payments.Gateway.Mode() == "test", Amount: raw, Next: returnPath(r.PostFormValue("return_to"))}
	data.Errors = map[string]string{"amount": e.Fields["amount_cents"]}
	if ferr := s.fillWallet(r, &data); ferr != nil {
		return ferr
	}
	return s.render(w, http.StatusBadRequest, "wallet", data)
}
