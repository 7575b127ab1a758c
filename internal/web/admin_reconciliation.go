package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/payment"
)

// adminReconciliationPage is the data of the reconciliation page.
type adminReconciliationPage struct {
	Page
	Month  string
	Result *payment.Reconciliation
	Error  string
}

// adminReconciliationShow compares a month of top-ups with Stripe (WAL-9).
func (s *Server) adminReconciliationShow(w http.ResponseWriter, r *http.Request) error {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = s.Clock.Now().Format("2006-01")
	}
	data := adminReconciliationPage{Page: s.page(w, r, "Reconciliation"), Month: month}
	m, err := payment.ParseMonth(month)
	if err != nil {
		data.Error = "Use the form YYYY-MM, e.g. 2026-11."
		return s.render(w, http.StatusBadRequest, "admin_reconciliation", data)
	}
	rec, err := s.Payments.Reconcile(r.Context(), m)
	if err != nil {
		return err
	}
	data.Result = &rec
	return s.render(w, http.StatusOK, "admin_reconciliation", data)
}

// apiAdminReconciliationShow returns the reconciliation of ?month=YYYY-MM.
func (s *Server) apiAdminReconciliationShow(w http.ResponseWriter, r *http.Request) error {
	m, err := payment.ParseMonth(r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	rec, err := s.Payments.Reconcile(r.Context(), m)
	if err != nil {
		return err
	}
	type mismatch struct {
		PaymentIntentID string `json:"payment_intent_id,omitempty"`
		TopUpID         int64  `json:"topup_id,omitempty"`
		StripeEventID   string `json:"stripe_event_id,omitempty"`
		LedgerCents     int64  `json:"ledger_cents"`
		StripeCents     int64  `json:"stripe_cents"`
		Problem         string `json:"problem"`
	}
	out := struct {
		Month       string     `json:"month"`
		LedgerCount int        `json:"ledger_count"`
		LedgerCents int64      `json:"ledger_cents"`
		StripeCount int        `json:"stripe_count"`
		StripeCents int64      `json:"stripe_cents"`
		OK          bool       `json:"ok"`
		Mismatches  []mismatch `json:"mismatches"`
	}{Month: rec.Month.Format("2006-01"), LedgerCount: rec.LedgerCount, LedgerCents: rec.LedgerCents, StripeCount: rec.StripeCount,
		StripeCents: rec.StripeCents, OK: rec.OK(), Mismatches: []mismatch{}}
	for _, m := range rec.Mismatches {
		out.Mismatches = append(out.Mismatches, mismatch(m))
	}
	return writeJSON(w, http.StatusOK, out)
}
