package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reading"
)

// message writes what the notification of a change to b tells user to,
// with times on to's own clock and naming their zone.
func (s *Service) message(ctx context.Context, q db.Querier, b Booking, what string, to int64) (title, body string, err error) {
	var zone string
	if err := q.QueryRowContext(ctx, `SELECT time_zone FROM users WHERE id = $1`, to).Scan(&zone); err != nil {
		return "", "", fmt.Errorf("schedule: recipient zone: %w", err)
	}
	loc := account.User{TimeZone: zone}.Location()
	other, asReader := b.ReaderName, to == b.ReaderID
	if asReader {
		other = b.ClientName
	}
	when := fmt.Sprintf("%s (%s)", b.StartsAt.In(loc).Format("Mon 2 Jan 15:04"), loc.String())
	what2 := fmt.Sprintf("%d-minute %s reading with %s", b.DurationMinutes, b.Modality, other)
	switch what {
	case "booked":
		if asReader {
			return "New booking from " + other, fmt.Sprintf("%s booked a %d-minute %s reading on %s.", other, b.DurationMinutes, b.Modality, when), nil
		}
		return "Booking confirmed", fmt.Sprintf("Your %s on %s is booked; %s is held until it happens.", what2, when, ledger.FormatCents(b.PriceCents)), nil
	case "day":
		return "Reading tomorrow", fmt.Sprintf("Your %s starts %s.", what2, when), nil
	case "soon":
		return "Reading in 15 minutes", fmt.Sprintf("Your %s starts at %s. Open the booking to join.", what2, b.StartsAt.In(loc).Format("15:04")), nil
	case "cancelled":
		if asReader {
			return "Booking cancelled", fmt.Sprintf("The %s on %s was cancelled.", what2, when), nil
		}
		return "Booking cancelled", fmt.Sprintf("The %s on %s was cancelled; %s was refunded to your wallet.", what2, when, ledger.FormatCents(b.RefundCents)), nil
	case "fulfilled":
		if asReader {
			share, _ := reading.Split(b.PriceCents, b.platformPct)
			return "Booking paid", fmt.Sprintf("Your %s on %s is complete; %s was added to your earnings.", what2, when, ledger.FormatCents(share)), nil
		}
		return "Booking complete", fmt.Sprintf("Your %s on %s is complete. How was it?", what2, when), nil
	case "reader_no_show":
		if asReader {
			return "Missed booking", fmt.Sprintf("You did not join the %s on %s; the client was refunded in full.", what2, when), nil
		}
		return "Reader did not join", fmt.Sprintf("%s did not join your reading on %s; %s was refunded to your wallet.", other, when, ledger.FormatCents(b.PriceCents)), nil
	}
	return "", "", fmt.Errorf("schedule: no message for %q", what)
}

// release is the transfer that moves what is left of b's price after
// refund out of escrow: refund back to the client's wallet, the rest split
// between the reader's earnings and the platform. Postings of nothing are
// left out.
func release(b Booking, key string, typ ledger.EntryType, refund int64, actor int64, memo string) ledger.Transfer {
	share, fee := reading.Split(b.PriceCents-refund, b.platformPct)
	ps := []ledger.Posting{{Account: ledger.Escrow(), Amount: -b.PriceCents}}
	for _, p := range []ledger.Posting{{Account: ledger.Wallet(b.ClientID), Amount: refund},
		{Account: ledger.Earnings(b.ReaderID), Amount: share}, {Account: ledger.PlatformRevenue(), Amount: fee}} {
		if p.Amount != 0 {
			ps = append(ps, p)
		}
	}
	return ledger.Transfer{Key: key, Type: typ, Postings: ps, CauseType: "booking", CauseID: fmt.Sprint(b.ID), ActorID: actor, Memo: memo}
}

// The reminders before a booking starts (SCH-7).
const (
	DayReminder  = 24 * time.Hour
	SoonReminder = 15 * time.Minute
)
