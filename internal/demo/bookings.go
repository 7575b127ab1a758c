package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/schedule"
)

// Demo bookings are made this far ahead of the soon one's start: enough
// for Luna's notice, so it is booked as a client would have booked it.
const soonBookedAhead = 2 * time.Hour

// seedBookings gives the demo client three scheduled readings with Luna
// (SCH-4 … SCH-7), each one unless the client already has one like it: a
// video reading at her first open time a week from now; a chat reading at
// the next quarter hour at least 5 minutes away, whose room opens
// (SCH-6) within minutes of loading the demo, at an open time she added
// for it; and a voice reading two weeks back, which she joined and which
// was fulfilled. All go through the schedule service as real bookings do
// — money from the client's wallet into escrow, and from there to Luna's
// earnings and the platform — with the earlier two made on a clock set
// back, as the client made them then. The client is credited demo money
// for each price first. It returns the chat reading's start.
//
// Loaded into a running server, whose sweeps settle on today's clock, the
// past reading may be refunded as a reader no-show between its booking
// and Luna joining it: it stays in the history so.
func seedBookings(ctx context.Context, a *app.App, admin, client account.User) (time.Time, error) {
	luna, err := a.Accounts.GetByEmail(ctx, readers[0].email)
	if err != nil {
		return time.Time{}, err
	}
	now := a.Clock.Now()
	upcoming, err := a.Schedule.Bookings(ctx, client.ID, "upcoming")
	if err != nil {
		return time.Time{}, err
	}
	var soon, later time.Time
	for _, b := range upcoming {
		if b.StartsAt.Before(now.Add(time.Hour)) {
			soon = b.StartsAt
		} else if b.StartsAt.After(now.AddDate(0, 0, 1)) {
			later = b.StartsAt
		}
	}
	if later.IsZero() {
		if err := bookFirst(ctx, a, a.Schedule, admin, client, luna, now.AddDate(0, 0, 7), reader.Video); err != nil {
			return time.Time{}, fmt.Errorf("demo: booking next week: %w", err)
		}
	}
	if soon.IsZero() {
		if soon, err = bookSoon(ctx, a, admin, client, luna, now); err != nil {
			return time.Time{}, fmt.Errorf("demo: booking soon: %w", err)
		}
	}
	past, err := a.Schedule.Bookings(ctx, client.ID, "past")
	if err != nil || len(past) > 0 {
		return soon, err
	}
	if err := bookPast(ctx, a, admin, client, luna, now.AddDate(0, 0, -14)); err != nil {
		return time.Time{}, fmt.Errorf("demo: past booking: %w", err)
	}
	return soon, nil
}

// bookFirst books client's half hour with luna in modality at her first
// open time of the week from from, as sch's clock has it.
func bookFirst(ctx context.Context, a *app.App, sch *schedule.Service, admin, client, luna account.User, from time.Time, m reader.Modality) error {
	list, err := sch.Slots(ctx, luna.ID, schedule.Window{From: from, To: from.AddDate(0, 0, 7), Duration: 30})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return fmt.Errorf("%s has no open half hour in the week from %s", luna.DisplayName, from.Format(time.DateOnly))
	}
	_, err = bookDemo(ctx, a, sch, admin, client, list[0], m)
	return err
}

// bookSoon books client's half hour of chat with luna at the first
// quarter hour at least 5 minutes after now that she is free, opening it
// for the booking on a clock soonBookedAhead before, and returns its start.
func bookSoon(ctx context.Context, a *app.App, admin, client, luna account.User, now time.Time) (time.Time, error) {
	grid := schedule.Grid * time.Minute
	start := now.Add(5*time.Minute + grid - 1).Truncate(grid)
	earlier := *a.Schedule
	earlier.Clock = clock.NewFake(start.Add(-soonBookedAhead))
	for ; start.Before(now.Add(time.Hour)); start = start.Add(grid) {
		if _, err := earlier.AddOpening(ctx, luna, schedule.OpeningInput{StartsAt: start.Format(time.RFC3339), DurationMinutes: 30}); err != nil {
			return time.Time{}, err
		}
		list, err := earlier.Slots(ctx, luna.ID, schedule.Window{From: start, To: start.Add(time.Minute), Duration: 30})
		if err != nil {
			return time.Time{}, err
		}
		if len(list) == 0 {
			continue // a booking of hers, with its buffer, takes this time
		}
		_, err = bookDemo(ctx, a, &earlier, admin, client, list[0], reader.Text)
		return start, err
	}
	return time.Time{}, fmt.Errorf("%s has no free half hour in the next hour", luna.DisplayName)
}

// bookPast books client's voice half hour with luna at her first open
// time a day after then, on a clock set there; luna and the client join
// it as it starts, and at its end it is settled, fulfilled.
func bookPast(ctx context.Context, a *app.App, admin, client, luna account.User, then time.Time) error {
	clk := clock.NewFake(then)
	past := *a.Schedule
	past.Clock = clk
	list, err := past.Slots(ctx, luna.ID, schedule.Window{From: then.AddDate(0, 0, 1), To: then.AddDate(0, 0, 8), Duration: 30})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return fmt.Errorf("%s had no open half hour in the week from %s", luna.DisplayName, then.Format(time.DateOnly))
	}
	b, err := bookDemo(ctx, a, &past, admin, client, list[0], reader.Voice)
	if err != nil {
		return err
	}
	clk.Set(b.StartsAt.Add(2 * time.Minute))
	for _, who := range []account.User{luna, client} {
		if _, err := past.Join(ctx, who, b.ID); apperr.CodeOf(err) == apperr.Conflict {
			return nil // a running server's sweeps settled it first, on today's clock
		} else if err != nil {
			return err
		}
	}
	clk.Set(b.EndsAt)
	_, err = past.Settle(ctx)
	return err
}

// bookDemo credits client with demo money for slot in modality m, then
// books it through sch as the client would.
func bookDemo(ctx context.Context, a *app.App, sch *schedule.Service, admin, client account.User, slot schedule.Slot, m reader.Modality) (schedule.Booking, error) {
	price := slot.Prices.For(m)
	if price == nil {
		return schedule.Booking{}, fmt.Errorf("reader %d does not offer %s", slot.ReaderID, m)
	}
	key := "demo-booking-" + slot.StartsAt.UTC().Format(time.RFC3339)
	if _, err := a.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: client.ID, AmountCents: *price,
		Reason: "Demo money for a scheduled reading", Key: key}); err != nil {
		return schedule.Booking{}, err
	}
	b, _, err := sch.Book(ctx, client, schedule.BookInput{ReaderID: slot.ReaderID, StartsAt: slot.StartsAt, DurationMinutes: slot.DurationMinutes,
		Modality: string(m), RequestKey: key})
	return b, err
}
