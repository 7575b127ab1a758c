package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reader"
)

// querySeeds are query strings that are wrong in the ways links and
// scripts get them wrong.
var querySeeds = []string{
	``, `specialty=tarot&modality=voice&min_rate=100&max_rate=500&online=true&sort=price_low&q=luna&limit=10&offset=20`,
	`min_rate=-1&max_rate=x&limit=%zz`, `sort=random&specialty=crystals&modality=smoke&online=maybe`, `limit=99999999999999999999&offset=-1`,
	`limit=0&offset=0`, `limit=1e3`, `q=%00%ff`, `q=` + strings.Repeat("a", 101), `type=topup&from=2026-02-30&to=2026-13-01&before=0`,
	`type=nope&before=-5&limit=-1`, `from=2026-01-01&to=2025-01-01&before=42&limit=200`, `;;&&==`, `a=1;b=2`, `min_rate=500&max_rate=100`,
}

// queryFields are the parameters the listings read; a refusal names only
// these.
var queryFields = []string{"specialty", "modality", "min_rate", "max_rate", "online", "sort", "q", "limit", "offset", "type", "from", "to", "before"}

// checkQueryError fails unless err is nil or a 4xx *apperr.Error whose
// field errors name only query parameters.
func checkQueryError(t *testing.T, target, raw string, err error) {
	t.Helper()
	checkDecodeError(t, target, []byte(raw), err)
	if e := apperr.As(err); e != nil {
		for k := range e.Fields {
			if !slices.Contains(queryFields, k) {
				t.Fatalf("%s(%q): field error on %q, which is no parameter", target, raw, k)
			}
		}
	}
}

// query parses raw as the server does, leniently: pairs it cannot read are
// dropped.
func query(raw string) url.Values {
	q, _ := url.ParseQuery(raw)
	return q
}

// FuzzPaging: limit and offset are refused unless they are whole numbers
// of 0 or more; an accepted limit never exceeds the listing's maximum.
func FuzzPaging(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		limit, offset, err := parsePaging(query(raw), 100)
		checkQueryError(t, "parsePaging", raw, err)
		if err == nil && (limit < 0 || limit > 100 || offset < 0) {
			t.Fatalf("parsePaging(%q) = %d, %d", raw, limit, offset)
		}
	})
}

// FuzzReaderFilter_RDR4: the directory filter either refuses a query with
// field errors on its parameters, or gives a filter the directory can run
// as is: a known sort, specialty and modality, prices of 0 or more in
// order, a page of 1 to MaxPageSize, and a search of at most
// db.MaxSearchLen characters.
func FuzzReaderFilter_RDR4(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		fl, err := parseReaderFilter(query(raw))
		checkQueryError(t, "parseReaderFilter", raw, err)
		if err != nil {
			return
		}
		again := fl
		if verr := again.Validate(); verr != nil || !slices.Equal(again.IDs, fl.IDs) {
			t.Fatalf("parseReaderFilter(%q) accepted a filter its own rules refuse: %v", raw, verr)
		}
		if fl.Limit < 1 || fl.Limit > reader.MaxPageSize || fl.Offset < 0 || fl.MinCents < 0 || fl.MaxCents < 0 ||
			(fl.MaxCents > 0 && fl.MaxCents < fl.MinCents) || utf8.RuneCountInString(fl.Query) > db.MaxSearchLen || !slices.Contains(reader.Sorts, fl.Sort) {
			t.Fatalf("parseReaderFilter(%q) = %+v", raw, fl)
		}
	})
}

// FuzzEntryFilter_WAL6: the wallet history filter either refuses a query
// with field errors on its parameters, or gives a known entry type, a page
// of 1 to the maximum, a cursor of 0 or more, and days at midnight UTC.
func FuzzEntryFilter_WAL6(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		fl, err := parseEntryFilter(&http.Request{URL: &url.URL{RawQuery: raw}}, 200)
		checkQueryError(t, "parseEntryFilter", raw, err)
		if err != nil {
			return
		}
		for _, typ := range fl.Types {
			if !ledger.ValidEntryType(typ) {
				t.Fatalf("parseEntryFilter(%q) kept type %q", raw, typ)
			}
		}
		for _, d := range []struct {
			name string
			at   interface {
				IsZero() bool
				Hour() int
				Minute() int
				Second() int
				Nanosecond() int
			}
		}{{"from", fl.From}, {"to", fl.To}} {
			if !d.at.IsZero() && d.at.Hour()+d.at.Minute()+d.at.Second()+d.at.Nanosecond() != 0 {
				t.Fatalf("parseEntryFilter(%q): %s is not a day", raw, d.name)
			}
		}
		if fl.Limit < 1 || fl.Limit > 200 || fl.BeforeID < 0 {
			t.Fatalf("parseEntryFilter(%q) = %+v", raw, fl)
		}
	})
}

// FuzzClientMessage_OD9: a reading room's connection message is decoded
// under the rules of a JSON request body: a refusal is an Invalid error,
// text that is not UTF-8 is refused, and what is accepted encodes back to
// a message that decodes the same.
func FuzzClientMessage_OD9(f *testing.F) {
	for _, s := range []string{`{"type":"chat.message","body":"Is he the one?"}`, `{"type":"chat.typing"}`, `{}`, `null`, `[]`, `{"type":1}`,
		`{"type":"chat.message","body":"x","extra":true}`, `{"type":"chat.message"} {}`, "{\"type\":\"chat.message\",\"body\":\"\xff\"}", `{"body":"\ud800"}`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		m, err := decodeClientMessage(text)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid || apperr.MessageOf(err) == "" {
				t.Fatalf("decodeClientMessage(%q): %v, want an Invalid error", text, err)
			}
			return
		}
		if !utf8.Valid(text) {
			t.Fatalf("decodeClientMessage accepted %q, which is not UTF-8", text)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeClientMessage(b)
		if err != nil || back != m || !bytes.Equal(b, mustMarshal(t, back)) {
			t.Fatalf("decodeClientMessage(%q) = %+v, which encodes as %s and decodes as %+v, %v", text, m, b, back, err)
		}
	})
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
