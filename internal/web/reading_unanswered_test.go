package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reader"
)

// OD-4: a request the reader leaves unanswered ends on a page that says so,
// that nothing was charged and what the balance still is, and offers the
// readers online now who share a specialty with them — not one who does
// not, and not the reader who did not answer.
func TestUnansweredRequestPage(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := readingWorld(t, s, 10_00)
		// Nova reads tarot too; Orion reads only the stars.
		if _, err := s.App.Readers.SetVerified(ctx, w.admin, w.pending.ID, true); err != nil {
			t.Fatal(err)
		}
		orion := s.CreateUser("orion@example.com", account.RoleReader)
		w.profile(t, orion, "Orion Sky", []string{"astrology"}, reader.RatesInput{Text: cents(250)})
		if _, err := s.App.Readers.SetVerified(ctx, w.admin, orion.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{w.pending.ID, orion.ID} {
			if _, err := s.App.Readers.SetStatus(ctx, id, reader.Online); err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.DB.Writer.ExecContext(ctx, `UPDATE reader_profiles SET simulated_presence = TRUE WHERE user_id = $1`, id); err != nil {
				t.Fatal(err)
			}
		}
		var r readingJSON
		w.as["client"].Do("POST", "/api/v1/readings", map[string]any{"reader_id": w.reader.ID, "modality": "text"}).JSON(t, &r)
		if r.State != "waiting" {
			t.Fatalf("request: %+v, want waiting", r)
		}
		clk.Advance(s.App.Config.RequestTimeout + time.Second)
		if st, err := s.App.Readings.Sweep(ctx); err != nil || st.Ended != 1 {
			t.Fatalf("sweep: %+v %v, want the request expired", st, err)
		}

		browser, _ := w.login(t, w.client.Email)
		res := browser.Do("GET", "/readings/"+id(r.ID), nil)
		page := string(res.Body)
		if res.Status != http.StatusOK {
			t.Fatalf("the ended request's page: %d", res.Status)
		}
		for _, want := range []string{"Luna Vale did not answer", "Nothing was charged.", "your balance is still $10.00",
			"Other readers online now with the same specialties", `href="/readers/` + id(w.pending.ID) + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %q:\n%.4000s", want, page)
			}
		}
		for _, not := range []string{`href="/readers/` + id(orion.ID) + `"`, "Finalized", "0s"} {
			if strings.Contains(page, not) {
				t.Errorf("the page shows %q", not)
			}
		}
		if bal, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Wallet(w.client.ID)); err != nil || bal != 10_00 {
			t.Fatalf("the client's balance is %d (%v), want the 10_00 untouched", bal, err)
		}
	}, apptest.WithClock(clk), apptest.WithManualSweeps())
}
