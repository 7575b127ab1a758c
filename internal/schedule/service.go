// Package schedule holds when readers can be booked for a scheduled reading
// (SCH-1) and the open times clients choose from (SCH-2, SCH-3): weekly
// ranges in the reader's own time zone, the lengths offered, buffer,
// minimum notice and booking window, openings added by hand and time off.
// Open times are computed on read from these rows, so they are always what
// the reader last saved.
package schedule

import (
	"time"
	_ "time/tzdata" // a reader's zone is known even on a host without zoneinfo

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/realtime"
)

// Service reads and changes availability, lists open times and books,
// cancels and settles scheduled readings.
type Service struct {
	DB     *db.DB
	Clock  clock.Clock
	Ledger *ledger.Ledger
	Notify *notify.Service
	Hub    *realtime.Hub // carries the chat of bookings' rooms
	Config Config
	// BaseURL is the site's public address, for links and calendar UIDs.
	BaseURL string
}

// Config holds the rules of bookings.
type Config struct {
	// PlatformSharePct is the platform's share of a booking's price, in
	// percent; the reader earns the rest.
	PlatformSharePct int
	// LateCancelRefundPct is the part of the price, in percent, refunded
	// when the client cancels less than CancelNotice before the start.
	LateCancelRefundPct int
	// CancelNotice is how long before the start a client may cancel for a
	// full refund.
	CancelNotice time.Duration
}

// Durations are the lengths, in minutes, a scheduled reading may have.
var Durations = []int{15, 30, 45, 60}

// Grid is the step, in minutes, between possible start times: every open
// time starts on a quarter hour of the reader's wall clock.
const Grid = 15

// Bounds on a reader's settings.
const (
	MaxBufferMinutes = 120
	MaxNoticeMinutes = 7 * 24 * 60
	MaxDaysAhead     = 90
	// MaxFlatPriceCents caps a flat price: an hour at the highest
	// per-minute rate.
	MaxFlatPriceCents int64 = 60 * 100_00
)

// offered reports whether minutes is one of Durations.
func offered(minutes int) bool {
	for _, d := range Durations {
		if d == minutes {
			return true
		}
	}
	return false
}
