package account

import (
	_ "embed"
	"errors"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the zone database travels in the binary, so any host knows every zone
)

//go:embed time_zones.txt
var timeZoneList string

// TimeZones lists the IANA names the account settings offer, sorted.
var TimeZones = sync.OnceValue(func() []string {
	var out []string
	for line := range strings.Lines(timeZoneList) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
})

// locations caches loaded time zones by name.
var locations sync.Map

// loadZone returns the named zone of the embedded database. "Local" is not
// a zone a user may choose: it is whatever the server's is.
func loadZone(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "" || name == "Local" || len(name) > 64 {
		return nil, errors.New("account: not a time zone")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}

// ParseTimeZone checks that name is an IANA time zone, such as
// "Europe/Lisbon" or "UTC", and returns it trimmed.
func ParseTimeZone(name string) (string, error) {
	name = strings.TrimSpace(name)
	if _, err := loadZone(name); err != nil {
		return "", errors.New("Choose a time zone from the list, such as Europe/London.")
	}
	return name, nil
}

// Location is the time zone the user's pages show times in: the one they
// chose, else UTC (ACC-9).
func (u User) Location() *time.Location {
	if loc, err := loadZone(u.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}
