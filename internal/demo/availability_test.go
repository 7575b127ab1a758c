package demo_test

import (
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/schedule"
)

// SCH-2, SCH-3: after loading the demo, the verified demo readers have open
// times next week, so a visitor can browse them straight away.
func TestDemoAvailability_SCH2(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		from := s.App.Clock.Now().AddDate(0, 0, 7)
		list, err := s.App.Schedule.Browse(ctx, schedule.BrowseFilter{Window: schedule.Window{From: from, To: from.AddDate(0, 0, 7), Duration: 60}})
		if err != nil {
			t.Fatal(err)
		}
		readers := map[int64]bool{}
		for _, sl := range list {
			readers[sl.ReaderID] = true
			if sl.EndsAt.Sub(sl.StartsAt) != time.Hour {
				t.Errorf("slot %+v", sl)
			}
		}
		if len(list) < 100 || len(readers) < 3 {
			t.Errorf("%d open hours next week from %d demo readers, want over 100 from several", len(list), len(readers))
		}
	})
}
