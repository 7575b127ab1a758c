package schedule

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is booking b as an iCalendar file (RFC 5545) for its party
// viewerID to add to their calendar (SCH-7): CRLF line ends, lines folded
// at 75 octets, text escaped, times in UTC. Its UID is the booking's on
// host, so every later copy — cancelled, settled — updates the same entry
// in the calendar (its SEQUENCE counts the changes); a cancelled booking
// says STATUS:CANCELLED. url is where the booking is seen on the site.
func Calendar(b Booking, viewerID int64, host, url string, stamp time.Time) []byte {
	other := b.ReaderName
	if viewerID == b.ReaderID {
		other = b.ClientName
	}
	summary := fmt.Sprintf("%d-minute %s reading with %s", b.DurationMinutes, b.Modality, other)
	status := "CONFIRMED"
	if b.State == Cancelled {
		status = "CANCELLED"
	}
	lines := []string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//SoulSeer//Scheduled readings//EN",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		"BEGIN:VEVENT",
		fmt.Sprintf("UID:booking-%d@%s", b.ID, host),
		"DTSTAMP:" + icsTime(stamp),
		"DTSTART:" + icsTime(b.StartsAt),
		"DTEND:" + icsTime(b.EndsAt),
		fmt.Sprintf("SEQUENCE:%d", b.Sequence),
		"STATUS:" + status,
		"SUMMARY:" + icsText(summary),
		"DESCRIPTION:" + icsText(fmt.Sprintf("Your scheduled %s reading on SoulSeer. Open the booking to join, from 10 minutes before the start: %s", b.Modality, url)),
		"URL:" + url,
		"END:VEVENT",
		"END:VCALENDAR",
	}
	var out strings.Builder
	for _, l := range lines {
		out.WriteString(fold(l))
	}
	return []byte(out.String())
}

// icsTime writes t as a UTC date-time, e.g. 20270104T090000Z.
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsText escapes a TEXT value: backslash, semicolon, comma and newline.
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

// fold ends a content line with CRLF, breaking it so no line is longer
// than 75 octets (continuations start with a space) and never inside a
// UTF-8 character.
func fold(line string) string {
	var out strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		out.WriteString(line[:cut] + "\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	out.WriteString(line + "\r\n")
	return out.String()
}
