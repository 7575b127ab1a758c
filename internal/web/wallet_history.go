package web

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
)

// walletHistoryPage is the data of the full transaction history.
type walletHistoryPage struct {
	Page
	Entries    []ledger.Entry
	Types      []ledger.EntryType
	Type       string
	From, To   string
	NextBefore int64
	Query      string // the filters, for the next-page and CSV links
	Errors     map[string]string
}

// walletHistoryShow lists wallet transactions with type and date filters;
// the type filter offers only the types the wallet's history holds (WAL-2).
func (s *Server) walletHistoryShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := walletHistoryPage{Page: s.page(w, r, "Transaction history"), Type: q.Get("type"), From: q.Get("from"), To: q.Get("to")}
	types, err := s.Ledger.EntryTypesOf(r.Context(), ledger.Wallet(userOf(r).ID))
	if err != nil {
		return err
	}
	// The type asked for stays on offer, so the menu shows what the page
	// lists even when the history holds none of it.
	if t := ledger.EntryType(data.Type); ledger.ValidEntryType(t) && !slices.Contains(types, t) {
		types = append(types, t)
	}
	data.Types = types
	f, err := parseEntryFilter(r, 100)
	status := http.StatusOK
	if err != nil {
		data.Errors = apperr.As(err).Fields
		f, status = ledger.EntryFilter{Limit: 50}, http.StatusBadRequest
	}
	if data.Entries, err = s.Ledger.Entries(r.Context(), ledger.Wallet(userOf(r).ID), f); err != nil {
		return err
	}
	if len(data.Entries) == f.Limit {
		data.NextBefore = data.Entries[len(data.Entries)-1].PostingID
	}
	q.Del("before")
	data.Query = q.Encode()
	return s.render(w, status, "wallet_history", data)
}

// walletHistoryCSV exports the filtered history as CSV (all matching rows).
func (s *Server) walletHistoryCSV(w http.ResponseWriter, r *http.Request) error {
	f, err := parseEntryFilter(r, 100)
	if err != nil {
		return err
	}
	f.Limit = 1_000_000
	entries, err := s.Ledger.Entries(r.Context(), ledger.Wallet(userOf(r).ID), f)
	if err != nil {
		return err
	}
	// A long history may take longer to send than the server's write
	// timeout gives an ordinary page.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(10 * time.Minute))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="soulseer-wallet.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "date", "type", "description", "amount", "balance_after", "reference"})
	for _, e := range entries {
		_ = cw.Write([]string{strconv.FormatInt(e.PostingID, 10), e.CreatedAt.Format("2006-01-02 15:04:05"), string(e.Type),
			csvSafe(entryDescription(e)), ledger.FormatCents(e.Amount), ledger.FormatCents(e.BalanceAfter), csvSafe(e.CauseType + " " + e.CauseID)})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe stops a spreadsheet from treating text as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
