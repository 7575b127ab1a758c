package reading

import (
	"context"
	"fmt"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/e2e"
	"github.com/soulseer/soulseer/internal/reading"
)

// TestSpendingLimitPause follows the demo client who caps a reading's cost
// (WAL-11): on Wallet → Spending limits they set seven minutes' price per
// reading, which applies at once; they start a chat reading with Sage, who
// accepts; after seven billed minutes the reading pauses at the limit,
// both rooms saying so, and nothing more is charged; the limits page shows
// what was spent today, this reading included.
// capMinutes is the per-reading limit in billed periods: long enough (14 s
// at the test's billing period) for both rooms to show the active reading
// before it pauses on a loaded machine (10 s was not, with every package's
// browser running beside it on 2 cores), and short enough to pause within
// the browser's 15-second wait, which starts no later than the accept.
const capMinutes = 7

func TestSpendingLimitPause(t *testing.T) {
	e2e.EachEngine(t, testSpendingLimitPause)
}

func testSpendingLimitPause(t *testing.T, e db.Engine) {
	rs := startReadingStory(t, e)
	rs.B.Screenshots = rs.B.Screenshots && e == db.SQLite
	rate := rs.profile.Rates.Text
	readerTab := rs.B.NewTab("reader")
	client := rs.B.NewTab("client")
	rs.readerGoesOnline(readerTab)
	rs.clientNeedsFunds(client) // logs in and tops up $100.00

	client.Visit("/wallet")
	client.ClickNav(`[data-limits-link]`)
	client.Fill(`input[name="per_reading"]`, fmt.Sprintf("%d.%02d", capMinutes*rate/100, capMinutes*rate%100))
	client.ClickNav(`#caps button[type="submit"]`)
	client.WaitText(".flash", "Your limits are saved and apply now.")
	client.Screenshot("spending-limits")

	rs.clientStartsReading(client)
	row := fmt.Sprintf(`[data-requests] li[data-request="%d"]`, rs.id)
	readerTab.WaitVisible(row + ` form[action$="/accept"] button`)
	readerTab.ClickNav(row + ` form[action$="/accept"] button`)
	rs.roomsBecomeActive(client, readerTab)

	rs.waitFor("the reading to pause at the limit", func() (bool, string) {
		r := rs.reading()
		return r.State == reading.Paused, fmt.Sprintf("%s after %d minutes", r.State, r.BilledMinutes)
	})
	client.WaitVisible(`[data-spending-limit]`)
	client.WaitText(`[data-spending-limit]`, "this reading reached your spending limit")
	readerTab.WaitVisible(`[data-spending-limit]`)
	readerTab.WaitText(`[data-spending-limit]`, "spending limit is reached")
	r := rs.reading()
	if r.State != reading.Paused || r.PauseReason != reading.PauseSpendingLimit || r.BilledMinutes != capMinutes || r.TotalCents != capMinutes*rate {
		t.Fatalf("the reading is %s/%s with %d minutes (%d cents), want paused at the limit after %d", r.State, r.PauseReason, r.BilledMinutes, r.TotalCents, capMinutes)
	}
	client.Screenshot("reading-spending-limit")

	// Today's spending counts this reading beside the demo's earlier ones.
	day, _, err := rs.S.App.Limits.Spent(context.Background(), rs.client.ID, rs.client.Location())
	if err != nil || day < capMinutes*rate {
		t.Fatalf("spent today %d (%v), want at least this reading's %d", day, err, capMinutes*rate)
	}
	client.Visit("/wallet/limits")
	client.WaitText(`[data-spent-day]`, e2e.Money(day))
	if r := rs.reading(); r.BilledMinutes != capMinutes {
		t.Fatalf("a paused reading went on billing: %d minutes", r.BilledMinutes)
	}
}
