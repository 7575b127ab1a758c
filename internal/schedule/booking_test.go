package schedule_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/schedule"
)

// day2 is 10:00 UTC two days after t0, inside the booking world's hours.
var day2 = t0.AddDate(0, 0, 2).Add(10 * time.Hour)

// bookingWorld is the world with the reader open 09:00-17:00 UTC every day
// for every length, a 30-minute flat price of 2500 cents, a buffer of
// buffer minutes, and the client funded with 10,000 cents.
func bookingWorld(t *testing.T, w *world, buffer int) {
	t.Helper()
	a := every("UTC", [2]string{"09:00", "17:00"})
	a.BufferMinutes = buffer
	a.Prices = map[string]int64{"30": 2500}
	w.set(t, a)
	w.fund(t, w.client.ID, 10_000)
}

func (w *world) fund(t *testing.T, userID, cents int64) {
	t.Helper()
	if _, err := w.s.App.Payments.Adjust(ctx, w.admin, payment.AdjustInput{UserID: userID, AmountCents: cents, Reason: "test funds"}); err != nil {
		t.Fatal(err)
	}
}

func (w *world) balance(t *testing.T, r ledger.Ref) int64 {
	t.Helper()
	b, err := w.s.App.Ledger.Balance(ctx, w.s.App.DB.Read(), r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (w *world) book(t *testing.T, client account.User, at time.Time, minutes int, modality, key string) (schedule.Booking, error) {
	t.Helper()
	b, _, err := w.sch.Book(ctx, client, schedule.BookInput{ReaderID: w.reader.ID, StartsAt: at, DurationMinutes: minutes, Modality: modality, RequestKey: key})
	return b, err
}

func (w *world) mustBook(t *testing.T, at time.Time, minutes int) schedule.Booking {
	t.Helper()
	b, err := w.book(t, w.client, at, minutes, "text", fmt.Sprintf("k-%d-%d", at.Unix(), minutes))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// verify fails t unless the ledger is consistent.
func (w *world) verify(t *testing.T) {
	t.Helper()
	rep, err := ledger.Verify(ctx, w.s.App.DB)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("ledger verify: %v %v", err, rep.Problems)
	}
}

func codeOf(err error) apperr.Code {
	if err == nil {
		return ""
	}
	return apperr.CodeOf(err)
}

// SCH-4: booking moves exactly the price from the wallet into escrow in a
// booking_charge transfer; the price is the flat price for the length or
// the length × the per-minute rate; the same request key books once.
func TestBookChargesIntoEscrow_SCH4(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 0)
		flat, err := w.book(t, w.client, day2, 30, "video", "first")
		if err != nil {
			t.Fatal(err)
		}
		again, err := w.book(t, w.client, day2, 30, "video", "first")
		if err != nil || again.ID != flat.ID {
			t.Fatalf("replayed key: %+v %v, want booking %d again", again, err, flat.ID)
		}
		rated := w.mustBook(t, day2.Add(2*time.Hour), 45) // text at 100 a minute
		if flat.PriceCents != 2500 || rated.PriceCents != 4500 || flat.State != schedule.Booked {
			t.Errorf("prices %d and %d (state %s), want the flat 2500 and 45 × 100", flat.PriceCents, rated.PriceCents, flat.State)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 10_000-2500-4500 {
			t.Errorf("wallet %d, want %d", got, 10_000-2500-4500)
		}
		if got := w.balance(t, ledger.Escrow()); got != 7000 {
			t.Errorf("escrow %d, want 7000", got)
		}
		if n := w.count(t, `SELECT count(*) FROM ledger_transfers WHERE type = 'booking_charge'`); n != 2 {
			t.Errorf("%d booking charges, want 2", n)
		}
		if _, err := w.book(t, w.client, day2.Add(4*time.Hour), 30, "text", "first"); codeOf(err) != apperr.Conflict {
			t.Errorf("key reused for another time: %v, want Conflict", err)
		}
		for _, s := range w.slots(t, day2.Add(-time.Hour), day2.Add(3*time.Hour), 15) {
			if s.StartsAt.Before(flat.EndsAt) && flat.StartsAt.Before(s.EndsAt) {
				t.Errorf("open time %s meets the booking", s.StartsAt)
			}
		}
		w.verify(t)
	})
}

// SCH-4, ACC-6: a time outside availability, notice or window is
// Unprocessable, a short wallet names what it has and what is needed, a
// blocked pair cannot book, and none of these moves money.
func TestBookRefusals_SCH4(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 0)
		for _, c := range []struct {
			name     string
			at       time.Time
			minutes  int
			modality string
			want     apperr.Code
		}{
			{"before opening hours", day2.Add(-2 * time.Hour), 30, "text", apperr.Unprocessable},
			{"running past closing", day2.Add(6*time.Hour + 45*time.Minute), 30, "text", apperr.Unprocessable},
			{"off the grid", day2.Add(5 * time.Minute), 30, "text", apperr.Unprocessable},
			{"in the past", t0.Add(-time.Hour), 30, "text", apperr.Unprocessable},
			{"beyond the window", t0.AddDate(0, 0, 91).Add(10 * time.Hour), 30, "text", apperr.Unprocessable},
			{"voice not offered", day2, 30, "voice", apperr.Unprocessable},
			{"bad length", day2, 20, "text", apperr.Invalid},
			{"bad modality", day2, 30, "tarot", apperr.Invalid},
		} {
			if _, err := w.book(t, w.client, c.at, c.minutes, c.modality, c.name); codeOf(err) != c.want {
				t.Errorf("%s: %v, want %s", c.name, err, c.want)
			}
		}
		poor := w.s.CreateUser("poor@example.com", account.RoleClient)
		_, err := w.book(t, poor, day2, 30, "text", "poor")
		if codeOf(err) != apperr.InsufficientFunds || !strings.Contains(apperr.MessageOf(err), "Your balance is $0.00 and this reading costs $25.00: add $25.00") {
			t.Errorf("short wallet: %v, want InsufficientFunds naming balance, price and shortfall", err)
		}
		if _, err := w.s.App.Blocks.Block(ctx, w.reader, w.client.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.book(t, w.client, day2, 30, "text", "blocked"); codeOf(err) != apperr.Forbidden {
			t.Errorf("blocked pair: %v, want Forbidden", err)
		}
		if n := w.count(t, `SELECT count(*) FROM bookings`); n != 0 {
			t.Errorf("%d bookings after refusals, want 0", n)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 10_000 {
			t.Errorf("wallet %d after refusals, want 10000", got)
		}
	})
}

// SCH-4: fifty clients racing for one time get exactly one booking and one
// charge, and 49 a clear Conflict; clients racing for overlapping times of
// different lengths never get overlapping bookings (counting the buffer).
func TestBookingRace_SCH4(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 15)
		clients := make([]account.User, 50)
		for i := range clients {
			clients[i] = w.s.CreateUser(fmt.Sprintf("racer%d@example.com", i), account.RoleClient)
			w.fund(t, clients[i].ID, 10_000)
		}
		race := func(pick func(i int) (time.Time, int)) (ok, taken int) {
			var mu sync.Mutex
			var wg sync.WaitGroup
			for i, c := range clients {
				wg.Go(func() {
					at, minutes := pick(i)
					_, err := w.book(t, c, at, minutes, "text", fmt.Sprintf("race-%d-%d", at.Unix(), i))
					mu.Lock()
					defer mu.Unlock()
					switch codeOf(err) {
					case "":
						ok++
					case apperr.Conflict:
						taken++
					default:
						t.Errorf("client %d: %v", i, err)
					}
				})
			}
			wg.Wait()
			return ok, taken
		}
		if ok, taken := race(func(int) (time.Time, int) { return day2, 30 }); ok != 1 || taken != 49 {
			t.Fatalf("same time: %d booked, %d told it was taken; want 1 and 49", ok, taken)
		}
		if n := w.count(t, `SELECT count(*) FROM ledger_transfers WHERE type = 'booking_charge'`); n != 1 {
			t.Fatalf("%d charges, want 1", n)
		}
		lengths := []int{15, 30, 45, 60}
		next := day2.Add(3 * time.Hour)
		ok, taken := race(func(i int) (time.Time, int) { return next.Add(time.Duration(i%8) * 15 * time.Minute), lengths[i%4] })
		if ok < 1 || ok+taken != 50 {
			t.Fatalf("overlapping times: %d booked, %d taken; want at least one and every request answered", ok, taken)
		}
		if n := w.count(t, `SELECT count(*) FROM bookings a JOIN bookings b ON a.reader_id = b.reader_id AND a.id < b.id
			WHERE a.state <> 'cancelled' AND b.state <> 'cancelled' AND a.starts_at < b.busy_until AND b.starts_at < a.busy_until`); n != 0 {
			t.Errorf("%d overlapping pairs of bookings", n)
		}
		booked := w.count(t, `SELECT count(*) FROM bookings`)
		if charges := w.count(t, `SELECT count(*) FROM ledger_transfers WHERE type = 'booking_charge'`); charges != booked || booked != ok+1 {
			t.Errorf("%d bookings, %d charges, %d successes after the first race; want all equal", booked, charges, ok+1)
		}
		w.verify(t)
	})
}

// SCH-4: the database itself refuses a second booking over a reader's
// booked time, whatever the application checked before.
func TestDatabaseRefusesOverlap_SCH4(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 15)
		b := w.mustBook(t, day2, 30)
		insert := func(start time.Time, state string) error {
			return w.s.App.DB.Tx(ctx, func(tx *db.Tx) error {
				end := start.Add(15 * time.Minute)
				_, err := tx.ExecContext(ctx, `INSERT INTO bookings (client_id, reader_id, modality, duration_minutes, starts_at, ends_at, busy_until,
					price_cents, platform_share_pct, state, request_key, created_at) VALUES ($1, $2, 'text', 15, $3, $4, $4, 100, 30, $5, $6, 0)`,
					w.client.ID, w.reader.ID, db.Millis(start), db.Millis(end), state, "raw-"+start.String()+state)
				return err
			})
		}
		inBuffer := b.EndsAt.Add(5 * time.Minute)
		if err := insert(inBuffer, "booked"); err == nil || !w.s.App.DB.IsExclusionViolation(err) {
			t.Errorf("a booking inside the buffer: %v, want the database to refuse the overlap", err)
		}
		if err := insert(inBuffer, "cancelled"); err != nil {
			t.Errorf("a cancelled booking there: %v, want it stored", err)
		}
		if err := insert(b.EndsAt.Add(15*time.Minute), "booked"); err != nil {
			t.Errorf("a booking right after the buffer: %v, want it stored", err)
		}
	})
}

// SCH-5: the client's refund depends on how early they cancel; the
// reader's or an admin's cancellation refunds in full; what is not refunded
// is the reader's (their share) and the platform's; the time is free again.
func TestCancellationRefunds_SCH5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 0)
		w.fund(t, w.client.ID, 20_000)
		start := day2.AddDate(0, 0, 1) // 10:00 three days after t0
		cases := []struct {
			name   string
			before time.Duration // how long before the start the cancellation comes
			by     func() account.User
			refund int64 // of the 6000-cent price of 60 text minutes
		}{
			{"client 25 h before", 25 * time.Hour, func() account.User { return w.client }, 6000},
			{"client 23 h before", 23 * time.Hour, func() account.User { return w.client }, 3000},
			{"reader 1 h before", time.Hour, func() account.User { return w.reader }, 6000},
			{"admin 1 h before", time.Hour, func() account.User { return w.admin }, 6000},
		}
		for i, c := range cases {
			at := start.Add(time.Duration(i) * 2 * time.Hour)
			w.clk.Set(t0)
			b := w.mustBook(t, at, 60) // 60 text minutes at 100: 6000 cents
			w.clk.Set(at.Add(-c.before))
			who := c.by()
			preview, ok := w.sch.RefundIf(b, who, w.clk.Now())
			wallet, earnings := w.balance(t, ledger.Wallet(w.client.ID)), w.balance(t, ledger.Earnings(w.reader.ID))
			got, err := w.sch.Cancel(ctx, who, b.ID)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !ok || preview != c.refund || got.RefundCents != c.refund || got.State != schedule.Cancelled {
				t.Errorf("%s: preview %d (%v), refunded %d (%s); want %d", c.name, preview, ok, got.RefundCents, got.State, c.refund)
			}
			if d := w.balance(t, ledger.Wallet(w.client.ID)) - wallet; d != c.refund {
				t.Errorf("%s: wallet rose %d, want %d", c.name, d, c.refund)
			}
			if d := w.balance(t, ledger.Earnings(w.reader.ID)) - earnings; d != (6000-c.refund)*70/100 {
				t.Errorf("%s: earnings rose %d, want 70%% of %d", c.name, d, 6000-c.refund)
			}
			if _, err := w.sch.Cancel(ctx, who, b.ID); codeOf(err) != apperr.Conflict {
				t.Errorf("%s: cancelling twice: %v, want Conflict", c.name, err)
			}
			if len(w.slots(t, at, at.Add(time.Minute), 60)) != 1 {
				t.Errorf("%s: the freed time is not open again", c.name)
			}
		}
		w.clk.Set(t0)
		b := w.mustBook(t, start.AddDate(0, 0, 1), 60)
		w.clk.Set(b.StartsAt.Add(time.Minute))
		if refund, ok := w.sch.RefundIf(b, w.client, w.clk.Now()); ok || refund != 0 {
			t.Errorf("client after the start: preview %d (%v), want no refund", refund, ok)
		}
		if _, err := w.sch.Cancel(ctx, w.client, b.ID); codeOf(err) != apperr.Conflict {
			t.Errorf("client after the start: %v, want Conflict", err)
		}
		w.clk.Set(b.EndsAt)
		if _, err := w.sch.Cancel(ctx, w.reader, b.ID); codeOf(err) != apperr.Conflict {
			t.Errorf("reader after the end: %v, want Conflict (settlement decides)", err)
		}
		stranger := w.s.CreateUser("stranger@example.com", account.RoleClient)
		if _, err := w.sch.Cancel(ctx, stranger, b.ID); codeOf(err) != apperr.NotFound {
			t.Errorf("a stranger cancelling: %v, want NotFound", err)
		}
		if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'booking.cancel'`); n != 1 {
			t.Errorf("%d audit records of cancellations, want 1 (the admin's)", n)
		}
		w.verify(t)
	})
}

// SCH-6: a booking with its reader present is fulfilled when it ends (the
// reader's share to earnings, the rest to the platform), also when the
// client never came; a reader absent NoShowAfter the start means a full
// refund. Each settles exactly once, however many sweeps run, at once.
func TestSettlement_SCH6(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 0)
		w.fund(t, w.client.ID, 10_000)
		both := w.mustBook(t, day2, 60)                        // both come: fulfilled
		clientAway := w.mustBook(t, day2.Add(2*time.Hour), 60) // only the reader: fulfilled
		readerAway := w.mustBook(t, day2.Add(4*time.Hour), 60) // only the client: refunded
		join := func(who account.User, b schedule.Booking, at time.Time) {
			w.clk.Set(at)
			if _, err := w.sch.Join(ctx, who, b.ID); err != nil {
				t.Fatalf("join at %s: %v", at, err)
			}
		}
		w.clk.Set(day2.Add(-11 * time.Minute))
		if _, err := w.sch.Join(ctx, w.reader, both.ID); codeOf(err) != apperr.Conflict {
			t.Errorf("joining 11 minutes early: %v, want Conflict", err)
		}
		join(w.reader, both, day2.Add(-5*time.Minute))
		join(w.client, both, day2.Add(2*time.Minute))
		join(w.reader, clientAway, clientAway.StartsAt.Add(9*time.Minute))
		join(w.client, readerAway, readerAway.StartsAt)

		sweep := func(at time.Time) int {
			w.clk.Set(at)
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for range 4 {
				wg.Go(func() {
					n, err := w.sch.Settle(ctx)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				})
			}
			wg.Wait()
			return total
		}
		if n := sweep(both.EndsAt.Add(-time.Minute)); n != 0 {
			t.Errorf("%d settled before any outcome was known, want 0", n)
		}
		if n := sweep(both.EndsAt); n != 1 {
			t.Errorf("%d settled when the first ended, want 1", n)
		}
		if n := sweep(readerAway.StartsAt.Add(schedule.NoShowAfter)); n != 2 {
			t.Errorf("%d settled once the client-away one ended and the reader missed the third, want 2", n)
		}
		if n := sweep(readerAway.EndsAt.Add(time.Hour)); n != 0 {
			t.Errorf("%d settled again, want 0", n)
		}
		for _, c := range []struct {
			b      schedule.Booking
			state  schedule.State
			refund int64
		}{{both, schedule.Fulfilled, 0}, {clientAway, schedule.Fulfilled, 0}, {readerAway, schedule.ReaderNoShow, 6000}} {
			got, err := w.sch.GetBooking(ctx, w.client, c.b.ID)
			if err != nil || got.State != c.state || got.RefundCents != c.refund || got.SettledAt == nil {
				t.Errorf("booking at %s: %+v %v, want %s refunding %d", c.b.StartsAt, got, err, c.state, c.refund)
			}
		}
		if got := w.balance(t, ledger.Earnings(w.reader.ID)); got != 2*6000*70/100 {
			t.Errorf("earnings %d, want 70%% of two readings", got)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 20_000-2*6000 {
			t.Errorf("wallet %d, want two readings paid and the third refunded", got)
		}
		if got := w.balance(t, ledger.Escrow()); got != 0 {
			t.Errorf("escrow %d after everything settled, want 0", got)
		}
		if n := w.count(t, `SELECT count(*) FROM ledger_transfers WHERE idempotency_key LIKE 'booking:%:settle'`); n != 3 {
			t.Errorf("%d settlement transfers, want 3", n)
		}
		if n := w.count(t, `SELECT count(*) FROM notifications WHERE kind = 'booking' AND title = 'Reader did not join'`); n != 1 {
			t.Errorf("%d no-show notices to the client, want 1", n)
		}
		w.verify(t)
	})
}

// SCH-7: both parties are reminded a day and a quarter of an hour before
// the start, once each however often the sweep runs; a booking made inside
// a lead time skips that reminder.
func TestReminders_SCH7(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 0)
		far := w.mustBook(t, day2, 30)                   // 58 h ahead: both reminders
		w.clk.Set(day2.Add(2*time.Hour - 20*time.Hour))  // 20 h before the next
		near := w.mustBook(t, day2.Add(2*time.Hour), 30) // inside the day lead: only the soon reminder
		remind := func(at time.Time) int {
			w.clk.Set(at)
			n := 0
			for range 3 {
				k, err := w.sch.Remind(ctx)
				if err != nil {
					t.Fatal(err)
				}
				n += k
			}
			return n
		}
		if n := remind(far.StartsAt.Add(-schedule.DayReminder)); n != 1 {
			t.Errorf("a day before the first: %d reminded, want 1", n)
		}
		if n := remind(far.StartsAt.Add(-schedule.SoonReminder)); n != 1 {
			t.Errorf("15 minutes before the first: %d reminded, want 1", n)
		}
		if n := remind(near.StartsAt.Add(-schedule.SoonReminder)); n != 1 {
			t.Errorf("15 minutes before the second: %d reminded, want 1", n)
		}
		want := map[string]int{"Reading tomorrow": 2, "Reading in 15 minutes": 4}
		for title, n := range want {
			if got := w.count(t, `SELECT count(*) FROM notifications WHERE kind = 'booking' AND title = $1`, title); got != n {
				t.Errorf("%d %q notifications, want %d", got, title, n)
			}
		}
	})
}

// SCH-7: a booking's calendar file follows RFC 5545: CRLF line ends, no
// line over 75 octets, and the same UID with a higher SEQUENCE once it is
// cancelled, so calendars update the entry they have.
func TestCalendarFile_SCH7(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 0)
		b := w.mustBook(t, day2, 30)
		before := string(schedule.Calendar(b, w.client.ID, "soulseer.example", "https://soulseer.example/bookings/1", w.clk.Now()))
		cancelled, err := w.sch.Cancel(ctx, w.reader, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		after := string(schedule.Calendar(cancelled, w.client.ID, "soulseer.example", "https://soulseer.example/bookings/1", w.clk.Now()))
		for _, f := range []string{before, after} {
			if strings.Count(f, "\r\n") != strings.Count(f, "\n") || !strings.HasSuffix(f, "END:VCALENDAR\r\n") {
				t.Errorf("not CRLF throughout:\n%q", f)
			}
			for _, l := range strings.Split(f, "\r\n") {
				if len(l) > 75 {
					t.Errorf("line of %d octets: %q", len(l), l)
				}
			}
		}
		uid := fmt.Sprintf("UID:booking-%d@soulseer.example\r\n", b.ID)
		if !strings.Contains(before, uid) || !strings.Contains(after, uid) {
			t.Errorf("UID %q missing from one of the files", uid)
		}
		if !strings.Contains(before, "DTSTART:20270106T100000Z\r\n") || !strings.Contains(before, "STATUS:CONFIRMED") ||
			!strings.Contains(after, "STATUS:CANCELLED") || !strings.Contains(before, "SEQUENCE:0") || !strings.Contains(after, "SEQUENCE:1") {
			t.Errorf("start, status or sequence wrong:\n%s\n%s", before, after)
		}
		// the reader cancelled: the client is told, with the entry cancelled
		for to, want := range map[string]int{"client@example.com": 2, "reader@example.com": 1} {
			mails, err := w.s.App.Mail.Recent(ctx, to, 10)
			if err != nil || len(mails) != want {
				t.Fatalf("%s has %d emails (%v), want %d", to, len(mails), err, want)
			}
			for _, m := range mails {
				if m.Attachment.Name != fmt.Sprintf("booking-%d.ics", b.ID) || !strings.Contains(m.Attachment.Content, fmt.Sprintf("UID:booking-%d@", b.ID)) {
					t.Errorf("%s: %q arrived without the booking's calendar file: %+v", to, m.Subject, m.Attachment)
				}
			}
			if cancelledToo := strings.Contains(mails[0].Attachment.Content, "STATUS:CANCELLED"); cancelledToo != (want == 2) {
				t.Errorf("%s: newest calendar file cancels the entry: %v, want %v", to, cancelledToo, want == 2)
			}
		}
		unfolded := strings.ReplaceAll(before, "\r\n ", "")
		if !strings.Contains(unfolded, "DESCRIPTION:Your scheduled text reading on SoulSeer. Open the booking to join\\, from") {
			t.Errorf("description not escaped and folded back whole:\n%s", unfolded)
		}
	})
}

// SCH-3, ACC-6: browsing open times leaves out readers in a block with the
// viewer, either way round; others still see them.
func TestBrowseLeavesOutBlocked_SCH3(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bookingWorld(t, w, 0)
		browse := func(viewer int64) int {
			list, err := w.sch.Browse(ctx, schedule.BrowseFilter{Window: schedule.Window{From: day2, To: day2.Add(time.Hour), Duration: 30}, ViewerID: viewer})
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		if n := browse(w.client.ID); n != 4 {
			t.Fatalf("%d open times before any block, want 4 (10:00 to 10:45)", n)
		}
		if _, err := w.s.App.Blocks.Block(ctx, w.client, w.reader.ID); err != nil {
			t.Fatal(err)
		}
		other := w.s.CreateUser("other@example.com", account.RoleClient)
		if n, m := browse(w.client.ID), browse(other.ID); n != 0 || m != 4 {
			t.Errorf("after the client blocked the reader: the client sees %d, another client %d; want 0 and 4", n, m)
		}
	})
}
