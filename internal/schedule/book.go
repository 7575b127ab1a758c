package schedule

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	neturl "net/url"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/reader"
)

// MaxRequestKeyLen bounds a booking request's idempotency key.
const MaxRequestKeyLen = 100

// BookInput asks for a reading with ReaderID from StartsAt for
// DurationMinutes in Modality. RequestKey names this one request: sending
// it again (a double click, a retried network call) returns the booking it
// made instead of booking twice.
type BookInput struct {
	ReaderID        int64
	StartsAt        time.Time
	DurationMinutes int
	Modality        string
	RequestKey      string
}

// Book books a scheduled reading for client (SCH-4): the time must be one
// of the reader's open times (else Unprocessable, saying whether notice,
// window or availability is the reason), still free of other bookings and
// their buffers (else Conflict), and the client's wallet must hold the
// price (else InsufficientFunds naming the shortfall). The price is the
// reader's flat price for the length, or the length × their per-minute
// rate for the modality. In one transaction the price moves from the
// client's wallet into escrow (a booking_charge transfer keyed by the
// booking), the booking is stored and both parties are notified. Two
// bookings of one reader never overlap: requests for one reader take turns
// under a lock, and the database refuses an overlap in any case. A client
// and a reader where one blocked the other cannot book (ACC-6). replayed
// is true when RequestKey had already booked exactly this.
func (s *Service) Book(ctx context.Context, client account.User, in BookInput) (b Booking, replayed bool, err error) {
	m, err := in.check(client)
	if err != nil {
		return Booking{}, false, err
	}
	if b, ok, err := s.replay(ctx, s.DB.Read(), client.ID, in); ok || err != nil {
		return b, ok, err
	}
	q := s.DB.Read()
	if err := s.bookable(ctx, q, client.ID, in.ReaderID); err != nil {
		return Booking{}, false, err
	}
	p, err := s.loadOrDefault(ctx, q, in.ReaderID)
	if err != nil {
		return Booking{}, false, err
	}
	price, err := s.priceOf(ctx, q, p, in, m)
	if err != nil {
		return Booking{}, false, err
	}
	now := s.Clock.Now()
	end := in.StartsAt.Add(time.Duration(in.DurationMinutes) * time.Minute)
	busyUntil := end.Add(time.Duration(p.buffer) * time.Minute)
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.DB.LockKey(ctx, tx, fmt.Sprintf("booking-reader:%d", in.ReaderID)); err != nil {
			return err
		}
		var ok bool
		if b, ok, err = s.replay(ctx, tx, client.ID, in); ok || err != nil {
			replayed = ok
			return err
		}
		taken, err := overlapping(ctx, tx, in.ReaderID, in.StartsAt, busyUntil)
		if err != nil {
			return err
		}
		if taken {
			return errTaken
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO bookings (client_id, reader_id, modality, duration_minutes, starts_at, ends_at, busy_until,
			price_cents, platform_share_pct, state, request_key, reminded_day, reminded_soon, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'booked', $10, $11, $12, $13) RETURNING id`,
			client.ID, in.ReaderID, m, in.DurationMinutes, db.Millis(in.StartsAt), db.Millis(end), db.Millis(busyUntil),
			price, s.Config.PlatformSharePct, in.RequestKey, !in.StartsAt.After(now.Add(DayReminder)), !in.StartsAt.After(now.Add(SoonReminder)),
			db.Millis(now)).Scan(&id)
		if err != nil {
			return err
		}
		if _, err := s.Ledger.Post(ctx, tx, ledger.Transfer{Key: fmt.Sprintf("booking:%d:charge", id), Type: ledger.TypeBookingCharge,
			Postings:  []ledger.Posting{{Account: ledger.Wallet(client.ID), Amount: -price}, {Account: ledger.Escrow(), Amount: price}},
			CauseType: "booking", CauseID: fmt.Sprint(id), ActorID: client.ID, Memo: "Scheduled reading"}); err != nil {
			return err
		}
		if b, err = s.getBooking(ctx, tx, id, false); err != nil {
			return err
		}
		return s.tell(ctx, tx, b, "booked", 0)
	})
	switch {
	case err == nil:
		return b, replayed, nil
	case ledger.ShortOfFunds(err):
		return Booking{}, false, s.Ledger.Shortfall(ctx, client.ID, price, "this reading costs %s: add %s to book it")
	case s.DB.IsExclusionViolation(err):
		return Booking{}, false, errTaken
	case s.DB.IsUniqueViolation(err):
		// the same key booked in a transaction that committed first
		if b, ok, rerr := s.replay(ctx, s.DB.Read(), client.ID, in); ok || rerr != nil {
			return b, ok, rerr
		}
	}
	return Booking{}, false, fmt.Errorf("schedule: book: %w", err)
}

// errTaken is the answer when another booking took the time first.
var errTaken = apperr.Errorf(apperr.Conflict, "Someone else has just booked that time. Please choose another.")

// check validates the shape of a booking request and returns its modality.
func (in BookInput) check(client account.User) (reader.Modality, error) {
	fields := map[string]string{}
	if in.ReaderID <= 0 {
		fields["reader_id"] = "Choose a reader."
	} else if in.ReaderID == client.ID {
		fields["reader_id"] = "You cannot book yourself."
	}
	m, ok := reader.ParseModality(in.Modality)
	if !ok {
		fields["modality"] = "Use text, voice or video."
	}
	if !offered(in.DurationMinutes) {
		fields["duration_minutes"] = "Choose 15, 30, 45 or 60 minutes."
	}
	if in.StartsAt.IsZero() {
		fields["starts_at"] = "Choose a start time."
	}
	key := strings.TrimSpace(in.RequestKey)
	if key == "" || len(key) > MaxRequestKeyLen || key != in.RequestKey {
		fields["request_key"] = fmt.Sprintf("Send a key of 1 to %d characters naming this request.", MaxRequestKeyLen)
	}
	return m, apperr.Validation(fields)
}

// replay finds the booking client's RequestKey already made: the same
// booking again, or Conflict when the key was used for another request.
func (s *Service) replay(ctx context.Context, q db.Querier, clientID int64, in BookInput) (Booking, bool, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM bookings WHERE client_id = $1 AND request_key = $2`, clientID, in.RequestKey).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Booking{}, false, nil
	}
	if err != nil {
		return Booking{}, false, fmt.Errorf("schedule: booking replay: %w", err)
	}
	b, err := s.getBooking(ctx, q, id, false)
	if err != nil {
		return Booking{}, false, err
	}
	if b.ReaderID != in.ReaderID || !b.StartsAt.Equal(in.StartsAt) || b.DurationMinutes != in.DurationMinutes || string(b.Modality) != in.Modality {
		return Booking{}, false, apperr.Errorf(apperr.Conflict, "This request key was already used for another booking.")
	}
	return b, true, nil
}

// bookable refuses a reader who is not listed (NotFound) and a pair where
// one blocked the other (ACC-6).
func (s *Service) bookable(ctx context.Context, q db.Querier, clientID, readerID int64) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM reader_profiles WHERE user_id = $1 AND is_verified = TRUE`, readerID).Scan(&n); err != nil {
		return fmt.Errorf("schedule: bookable: %w", err)
	}
	if n == 0 {
		return apperr.Errorf(apperr.NotFound, "No such reader.")
	}
	blocked, err := block.Blocked(ctx, q, clientID, readerID)
	if err != nil {
		return err
	}
	if blocked {
		return apperr.Errorf(apperr.Forbidden, "You cannot book this reader.")
	}
	return nil
}

// priceOf is what the open time in asks for costs in modality m, or
// Unprocessable saying why it is not an open time: too soon for the
// reader's notice, beyond their booking window, or outside their
// availability.
func (s *Service) priceOf(ctx context.Context, q db.Querier, p plan, in BookInput, m reader.Modality) (int64, error) {
	now := s.Clock.Now()
	switch {
	case in.StartsAt.Before(now.Add(time.Duration(p.notice) * time.Minute)):
		return 0, apperr.Errorf(apperr.Unprocessable, "This reader takes bookings at least %s ahead; please choose a later time.", minutesText(p.notice))
	case !in.StartsAt.Before(now.AddDate(0, 0, p.daysAhead)):
		return 0, apperr.Errorf(apperr.Unprocessable, "This reader takes bookings at most %d days ahead; please choose an earlier time.", p.daysAhead)
	}
	list, err := s.slots(ctx, q, in.ReaderID, Window{From: in.StartsAt, To: in.StartsAt.Add(time.Millisecond), Duration: in.DurationMinutes}, false)
	if err != nil {
		return 0, err
	}
	if len(list) == 0 || !list[0].StartsAt.Equal(in.StartsAt) {
		return 0, apperr.Errorf(apperr.Unprocessable, "That time is outside this reader's availability; please choose one of their open times.")
	}
	price := list[0].Prices.For(m)
	if price == nil || *price <= 0 {
		return 0, apperr.Errorf(apperr.Unprocessable, "This reader does not offer %s readings.", m)
	}
	return *price, nil
}

// minutesText writes minutes for people: "45 minutes", "2 hours", "1 day".
func minutesText(minutes int) string {
	switch {
	case minutes%(24*60) == 0 && minutes > 0:
		return count(minutes/(24*60), "day")
	case minutes%60 == 0 && minutes > 0:
		return count(minutes/60, "hour")
	}
	return count(minutes, "minute")
}

func count(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// overlapping reports whether a booking of readerID that is not cancelled
// occupies any of [start, busyUntil).
func overlapping(ctx context.Context, q db.Querier, readerID int64, start, busyUntil time.Time) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM bookings WHERE reader_id = $1 AND state <> 'cancelled' AND starts_at < $2 AND busy_until > $3`,
		readerID, db.Millis(busyUntil), db.Millis(start)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("schedule: overlap: %w", err)
	}
	return n > 0, nil
}

// tell notifies the parties of a change to b; what is "booked",
// "cancelled", "fulfilled", "reader_no_show", "day" or "soon"; by is who
// cancelled (0 for the system).
func (s *Service) tell(ctx context.Context, tx *db.Tx, b Booking, what string, by int64) error {
	for _, to := range []int64{b.ClientID, b.ReaderID} {
		if to == by {
			continue
		}
		title, body, err := s.message(ctx, tx, b, what, to)
		if err != nil {
			return err
		}
		n := notify.Notification{UserID: to, Kind: notify.KindBooking, Title: title, Body: body,
			URL: fmt.Sprintf("/bookings/%d", b.ID), Group: fmt.Sprintf("booking:%d", b.ID)}
		if what == "booked" || what == "cancelled" {
			n.Receipt = s.receipt(b, to, title, body)
		}
		if err := s.Notify.Send(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

// receipt is the email a party keeps of a booking or its cancellation,
// with the calendar file that adds it to (or, cancelled, removes it from)
// their calendar (SCH-7).
func (s *Service) receipt(b Booking, to int64, title, body string) *mail.Message {
	url := fmt.Sprintf("%s/bookings/%d", strings.TrimRight(s.BaseURL, "/"), b.ID)
	return &mail.Message{Subject: title,
		Body: body + "\n\nThe booking: " + url + "\n\nOpen the attached file to add it to your calendar, or to update the entry you added before.\n",
		Attachment: mail.Attachment{Name: fmt.Sprintf("booking-%d.ics", b.ID), Type: "text/calendar; method=PUBLISH",
			Content: string(Calendar(b, to, s.Host(), url, s.Clock.Now()))}}
}

// Host is the site's host name, which calendar entries' UIDs end with.
func (s *Service) Host() string {
	if u, err := neturl.Parse(s.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "soulseer.local"
}
