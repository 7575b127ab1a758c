package web_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// OD-5 DASH-A: the admin overview lists the readings the ledger refused to
// bill — reading, client, reader, reason and since when — and renders as
// before when there are none.
func TestAdminOverviewUnbillableReadings(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		admin := w.as["admin"]
		res := page(admin, "/admin")
		if res.Status != 200 {
			t.Fatalf("GET /admin: %d", res.Status)
		}
		mustContain(t, res, "Platform overview")
		mustNotContain(t, res, "could not be billed")

		// A reading as billing leaves one it could not bill.
		const reason = "Minute 2: This would take the earnings of the reader above the largest balance allowed."
		if _, err := s.App.DB.Writer.ExecContext(ctx, `INSERT INTO readings (client_id, reader_id, modality, rate_cents, platform_share_pct,
			period_ms, state, created_at, updated_at, billing_problem, billing_problem_at) VALUES ($1, $2, 'text', 199, 30, 60000, 'finalized', 0, 0, $3, 0)`,
			w.client.ID, w.reader.ID, reason); err != nil {
			t.Fatal(err)
		}
		rs, err := s.App.Readings.Unbillable(ctx, 10)
		if err != nil || len(rs) != 1 {
			t.Fatalf("flagged readings: %v, %v", rs, err)
		}
		res = page(admin, "/admin")
		if res.Status != 200 {
			t.Fatalf("GET /admin with a flagged reading: %d", res.Status)
		}
		mustContain(t, res, "Readings that could not be billed", `href="/readings/`+id(rs[0].ID)+`"`, rs[0].ClientName, rs[0].ReaderName, reason, "since 1 Jan 1970")
	})
}
