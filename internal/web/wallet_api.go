package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

// walletResponse is GET /api/v1/wallet.
type walletResponse struct {
	BalanceCents int64  `json:"balance_cents"`
	HeldCents    int64  `json:"held_cents"`
	Currency     string `json:"currency"`
}

// apiWalletShow returns the signed-in user's balance.
func (s *Server) apiWalletShow(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	bal, err := s.Ledger.Balance(r.Context(), s.DB.Read(), ledger.Wallet(u.ID))
	if err != nil {
		return err
	}
	held, err := s.Ledger.Balance(r.Context(), s.DB.Read(), ledger.Hold(u.ID))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, walletResponse{BalanceCents: bal, HeldCents: held, Currency: payment.Currency})
}

// entryResponse is one wallet transaction.
type entryResponse struct {
	ID            int64            `json:"id"`
	TransferID    int64            `json:"transfer_id"`
	Type          ledger.EntryType `json:"type"`
	AmountCents   int64            `json:"amount_cents"`
	BalanceAfter  int64            `json:"balance_after_cents"`
	Description   string           `json:"description"`
	CauseType     string           `json:"cause_type,omitempty"`
	CauseID       string           `json:"cause_id,omitempty"`
	StripeEventID string           `json:"stripe_event_id,omitempty"`
	CreatedAt     time.Time        `json:"created_at"`
}

// parseEntryFilter reads the wallet history filters shared by the page, the
// CSV export and the API: type, from and to (YYYY-MM-DD, inclusive), before
// (an entry id cursor) and limit.
func parseEntryFilter(r *http.Request, maxLimit int) (ledger.EntryFilter, error) {
	q := r.URL.Query()
	f := ledger.EntryFilter{Limit: 50}
	fields := map[string]string{}
	if t := q.Get("type"); t != "" {
		if !ledger.ValidEntryType(ledger.EntryType(t)) {
			fields["type"] = "Unknown transaction type."
		}
		f.Types = []ledger.EntryType{ledger.EntryType(t)}
	}
	day := func(name string) time.Time {
		v := q.Get(name)
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			fields[name] = "Use the form YYYY-MM-DD."
		}
		return t
	}
	f.From = day("from")
	if to := day("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	// The history pages by the before cursor, so only limit counts here.
	limit, _, err := parsePaging(q, maxLimit)
	if e := apperr.As(err); e != nil && e.Fields["limit"] != "" {
		fields["limit"] = e.Fields["limit"]
	}
	if limit > 0 {
		f.Limit = limit
	}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			fields["before"] = "Must be an entry id."
		}
		f.BeforeID = n
	}
	return f, apperr.Validation(fields)
}

// apiWalletEntriesList pages through the user's wallet transactions, newest first.
func (s *Server) apiWalletEntriesList(w http.ResponseWriter, r *http.Request) error {
	f, err := parseEntryFilter(r, 200)
	if err != nil {
		return err
	}
	entries, err := s.Ledger.Entries(r.Context(), ledger.Wallet(userOf(r).ID), f)
	if err != nil {
		return err
	}
	out := struct {
		Entries    []entryResponse `json:"entries"`
		NextBefore int64           `json:"next_before,omitempty"`
	}{Entries: make([]entryResponse, 0, len(entries))}
	for _, e := range entries {
		out.Entries = append(out.Entries, entryJSON(e))
	}
	if len(entries) == f.Limit {
		out.NextBefore = entries[len(entries)-1].PostingID
	}
	return writeJSON(w, http.StatusOK, out)
}

func entryJSON(e ledger.Entry) entryResponse {
	return entryResponse{ID: e.PostingID, TransferID: e.TransferID, Type: e.Type, AmountCents: e.Amount, BalanceAfter: e.BalanceAfter,
		Description: entryDescription(e), CauseType: e.CauseType, CauseID: e.CauseID, StripeEventID: e.StripeEventID, CreatedAt: e.CreatedAt}
}

// entryDescription is how a transaction reads in a statement.
func entryDescription(e ledger.Entry) string {
	if e.Memo != "" {
		return e.Memo
	}
	return titleCase(string(e.Type))
}

// apiTopUpRequest is the body of POST /api/v1/wallet/topups.
type apiTopUpRequest struct {
	AmountCents int64 `json:"amount_cents"`
}

// topUpResponse is a top-up in API responses.
type topUpResponse struct {
	ID                int64     `json:"id"`
	AmountCents       int64     `json:"amount_cents"`
	Currency          string    `json:"currency"`
	Status            string    `json:"status"`
	Mode              string    `json:"mode"`
	CheckoutSessionID string    `json:"checkout_session_id"`
	CheckoutURL       string    `json:"checkout_url"`
	CreditedCents     int64     `json:"credited_cents"`
	RefundedCents     int64     `json:"refunded_cents"`
	CreatedAt         time.Time `json:"created_at"`
}

func topUpJSON(t payment.TopUp) topUpResponse {
	return topUpResponse{ID: t.ID, AmountCents: t.AmountCents, Currency: t.Currency, Status: t.Status, Mode: t.Mode,
		CheckoutSessionID: t.CheckoutSessionID, CheckoutURL: t.CheckoutURL, CreditedCents: t.CreditedCents,
		RefundedCents: t.RefundedCents, CreatedAt: t.CreatedAt}
}

// apiTopUpCreate starts a top-up and returns where to pay (WAL-4).
func (s *Server) apiTopUpCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiTopUpRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t, err := s.Payments.CreateTopUp(r.Context(), userOf(r), req.AmountCents, "")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, topUpJSON(t))
}

// apiTopUpShow returns one of the user's top-ups.
func (s *Server) apiTopUpShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := s.Payments.TopUp(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, topUpJSON(t))
}
