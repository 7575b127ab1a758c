package web_test

import (
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// RDR-4: when no reader matches, the directory says what to change among
// the filters in use and nothing else — "Online now" only when it is on —
// and, with no filter in use and no verified reader, that readers appear
// once verified, without a "Clear filters" that would clear nothing.
func TestDirectoryEmptyStateNamesFiltersInUse_RDR4(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		anon := s.Client()
		res := page(anon, "/readers")
		mustContain(t, res, "No readers here yet", "once our team has verified them")
		mustNotContain(t, res, "Clear filters", "Try another", "Online now”")

		newWorld(t, s) // Luna: verified, online, tarot and love, chat and phone
		for query, want := range map[string]string{
			"specialty=astrology":                    "Try another specialty.",
			"modality=video":                         "Try another reading type.",
			"q=zz&specialty=astrology&price=701-0":   "Try another name, specialty or price.",
			"modality=video&online=true":             "Try another reading type, or switch off “Online now”.",
			"q=zz&modality=video&sort=rating":        "Try another name or reading type.",
			"price=701-0&online=true&sort=price_low": "Try another price, or switch off “Online now”.",
		} {
			res := page(anon, "/readers?"+query)
			mustContain(t, res, "No readers match", want, `href="/readers">Clear filters`)
			if !strings.Contains(want, "Online now") {
				mustNotContain(t, res, "switch off")
			}
			// The results the filters swap in say the same.
			mustContain(t, anon.Do("GET", "/readers?"+query, nil, "HX-Request", "true"), want)
		}

		// With everyone away, "Online now" alone is what hides them.
		if _, err := s.App.DB.Writer.ExecContext(ctx, `UPDATE reader_profiles SET simulated_presence = FALSE`); err != nil {
			t.Fatal(err)
		}
		res = page(anon, "/readers?online=true")
		mustContain(t, res, "No one is online right now. Switch off “Online now” to see every reader.", "Clear filters")
		mustNotContain(t, res, "Try another")
		mustNotContain(t, page(anon, "/readers"), "No readers")
	})
}
