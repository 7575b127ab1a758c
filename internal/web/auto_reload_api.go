package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/autoreload"
)

// autoReloadJSON is a client's auto-reload in the API (WAL-12).
type autoReloadJSON struct {
	Status         string    `json:"status"` // off, needs_card or on
	ThresholdCents *int64    `json:"threshold_cents"`
	AmountCents    *int64    `json:"amount_cents"`
	Card           *cardJSON `json:"card"`
	OffReason      string    `json:"off_reason"`
	ReloadsToday   int       `json:"reloads_today"`
	MaxPerDay      int       `json:"max_per_day"`
	// SetupURL is the page on which to save a card, when auto-reload
	// waits for one.
	SetupURL string `json:"setup_url,omitempty"`
}

// cardJSON is a saved card as its holder knows it.
type cardJSON struct {
	Brand string `json:"brand"`
	Last4 string `json:"last4"`
}

// writeAutoReload answers the caller's auto-reload, with the page to save
// a card on when setup is not "".
func (s *Server) writeAutoReload(w http.ResponseWriter, r *http.Request, st autoreload.Settings, setup string) error {
	u := userOf(r)
	out := autoReloadJSON{Status: st.Status(), OffReason: st.OffReason, MaxPerDay: s.Reloads.MaxPerDay, SetupURL: setup}
	if st.ThresholdCents > 0 {
		out.ThresholdCents, out.AmountCents = &st.ThresholdCents, &st.AmountCents
	}
	if st.Card.PaymentMethodID != "" {
		out.Card = &cardJSON{Brand: st.Card.Brand, Last4: st.Card.Last4}
	}
	var err error
	if out.ReloadsToday, err = s.Reloads.ReloadsToday(r.Context(), u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiAutoReloadShow answers the caller's auto-reload.
func (s *Server) apiAutoReloadShow(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Reloads.Get(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return s.writeAutoReload(w, r, st, "")
}

// autoReloadRequest is the body of PUT /api/v1/me/auto-reload.
type autoReloadRequest struct {
	ThresholdCents *int64 `json:"threshold_cents"`
	AmountCents    *int64 `json:"amount_cents"`
}

// apiAutoReloadUpdate turns auto-reload on with a threshold and an amount;
// without a saved card the answer carries setup_url, the page to save one.
func (s *Server) apiAutoReloadUpdate(w http.ResponseWriter, r *http.Request) error {
	var req autoReloadRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	fields := map[string]string{}
	if req.ThresholdCents == nil {
		fields["threshold_cents"] = "Give the balance under which to reload, in cents."
	}
	if req.AmountCents == nil {
		fields["amount_cents"] = "Give the amount to reload, in cents."
	}
	if err := apperr.Validation(fields); err != nil {
		return err
	}
	st, setup, err := s.Reloads.Set(r.Context(), userOf(r), *req.ThresholdCents, *req.AmountCents, autoReloadPath)
	if err != nil {
		return err
	}
	return s.writeAutoReload(w, r, st, setup)
}

// apiAutoReloadDelete turns auto-reload off and forgets its card.
func (s *Server) apiAutoReloadDelete(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Reloads.TurnOff(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	return s.writeAutoReload(w, r, st, "")
}
