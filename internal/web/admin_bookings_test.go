package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/schedule"
)

// SCH-5, SCH-7, DASH-A: admins see every scheduled reading with its
// client, reader, price and state, find them by name and state, and see
// what escrow holds beside what the open bookings add up to; a filter it
// cannot use says so and lists everything.
func TestAdminBookingsList_SCH7(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			monday := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
			s := apptest.Start(t, e, roomyLimits(), apptest.WithClock(clock.NewFake(monday)), apptest.WithManualSweeps())
			w := newWorld(t, s)
			a := schedule.Availability{TimeZone: "UTC", Durations: []int{30}, MaxDaysAhead: 28,
				Weekly: []schedule.Range{{Weekday: "tuesday", Start: "09:00", End: "12:00"}}}
			if _, err := s.App.Schedule.Set(ctx, w.reader, a); err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.Payments.Adjust(ctx, w.admin, payment.AdjustInput{UserID: w.client.ID, AmountCents: 500_00, Reason: "test funds"}); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for i, at := range []string{"2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z"} {
				start, _ := time.Parse(time.RFC3339, at)
				b, _, err := s.App.Schedule.Book(ctx, w.client, schedule.BookInput{ReaderID: w.reader.ID, StartsAt: start, DurationMinutes: 30,
					Modality: "text", RequestKey: "admin-list-" + id(int64(i))})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, b.ID)
			}
			if _, err := s.App.Schedule.Cancel(ctx, w.admin, ids[1]); err != nil {
				t.Fatal(err)
			}
			admin := w.as["admin"]
			res := page(admin, "/admin/bookings")
			if res.Status != http.StatusOK {
				t.Fatalf("GET /admin/bookings: %d", res.Status)
			}
			// 30 text minutes at $1.99: $59.70 each; one still held
			mustContain(t, res, "$59.70</strong> held in escrow for <strong>1 open booking</strong> worth $59.70", "2 bookings",
				`data-booking-id="`+id(ids[0])+`"`, `data-booking-id="`+id(ids[1])+`"`, "Luna Vale", "($59.70 refunded)", `href="/bookings/`+id(ids[0])+`"`)
			mustNotContain(t, res, "differ by")
			res = page(admin, "/admin/bookings?state=cancelled&q=luna")
			mustContain(t, res, "1 booking<", `data-booking-id="`+id(ids[1])+`"`)
			mustNotContain(t, res, `data-booking-id="`+id(ids[0])+`"`)
			if n := countAudit(t, w, "booking.cancel"); n != 1 {
				t.Errorf("%d audited cancellations, want the admin's one", n)
			}
			res = page(admin, "/admin/bookings?state=lost")
			if res.Status != http.StatusBadRequest {
				t.Fatalf("unknown state: %d, want 400", res.Status)
			}
			mustContain(t, res, "Choose a state from the list.", "2 bookings")
		})
	}
}

// countAudit counts the audit records of action.
func countAudit(t *testing.T, w *world, action string) int {
	t.Helper()
	var n int
	if err := w.s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
