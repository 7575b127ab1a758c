package web

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/reader"
)

// parseReaderFilter reads the directory filters from a query string; the web
// directory and GET /api/v1/readers take the same parameters.
func parseReaderFilter(q url.Values) (reader.Filter, error) {
	f := reader.Filter{
		Specialty: q.Get("specialty"),
		Modality:  reader.Modality(q.Get("modality")),
		Sort:      reader.Sort(q.Get("sort")),
		Query:     q.Get("q"),
	}
	fields := map[string]string{}
	num := func(name string, dst *int64) {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				fields[name] = "Must be a whole number of cents, 0 or more."
				return
			}
			*dst = n
		}
	}
	num("min_rate", &f.MinCents)
	num("max_rate", &f.MaxCents)
	var err error
	if f.Limit, f.Offset, err = parsePaging(q, reader.MaxPageSize); err != nil {
		maps.Copy(fields, apperr.As(err).Fields)
	}
	switch q.Get("online") {
	case "", "0", "false":
	case "1", "true", "on":
		f.OnlineOnly = true
	default:
		fields["online"] = "Use true or false."
	}
	if err := apperr.Validation(fields); err != nil {
		return f, err
	}
	return f, f.Validate()
}

// parsePaging reads limit and offset query parameters; limit is capped at
// maxLimit and 0 means the listing's default.
func parsePaging(q url.Values, maxLimit int) (limit, offset int, err error) {
	fields := map[string]string{}
	read := func(name string) int {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fields[name] = "Must be a whole number, 0 or more."
			return 0
		}
		return n
	}
	limit, offset = min(read("limit"), maxLimit), read("offset")
	return limit, offset, apperr.Validation(fields)
}

// priceBand is one choice of the directory's price filter.
type priceBand struct {
	Label    string
	Min, Max int64
}

// priceBands are the price ranges offered in the directory, in cents per minute.
var priceBands = []priceBand{
	{"Under $2/min", 0, 199},
	{"$2 – $4/min", 200, 400},
	{"$4 – $7/min", 401, 700},
	{"Over $7/min", 701, 0},
}

// directoryPage is the data of the reader directory.
type directoryPage struct {
	Page
	Readers     []reader.Profile
	Total       int
	Filter      reader.Filter
	Errors      map[string]string
	Specialties []reader.Specialty
	Modalities  []reader.Modality
	Sorts       []reader.Sort
	PriceBands  []priceBand
	Favorites   map[int64]bool
	PageNum     int
	Pages       int
	QueryBase   string        // the filter query without page, for pagination links
	Live        []live.Stream // streams live now that the visitor may see listed (LIV-1)
}

// directoryShow renders the directory with filters and sorting (RDR-4),
// under the streams live now (LIV-1).
func (s *Server) directoryShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if band := q.Get("price"); band != "" {
		lo, hi, _ := strings.Cut(band, "-")
		q.Set("min_rate", lo)
		q.Set("max_rate", hi)
	}
	f, ferr := parseReaderFilter(q)
	pageNum, _ := strconv.Atoi(q.Get("page"))
	pageNum = max(pageNum, 1)
	f.Limit, f.Offset = 24, (min(pageNum, 10000)-1)*24
	data := directoryPage{
		Page: s.page(w, r, "Find your reader"), Filter: f, Specialties: reader.Specialties(),
		Modalities: reader.Modalities, Sorts: reader.Sorts, PriceBands: priceBands, PageNum: pageNum,
	}
	status := http.StatusOK
	if ferr != nil {
		if e := apperr.As(ferr); e != nil {
			data.Errors = e.Fields
		}
		data.Filter = reader.Filter{Limit: 24, Sort: reader.SortRecommended}
		status = http.StatusBadRequest
	}
	list, total, err := s.Readers.List(r.Context(), data.Filter)
	if err != nil {
		return err
	}
	data.Readers, data.Total = list, total
	data.Pages = (total + 23) / 24
	q.Del("page")
	if q.Get("price") != "" {
		q.Del("min_rate")
		q.Del("max_rate")
	}
	data.QueryBase = q.Encode()
	if data.Favorites, err = s.favoriteSet(r); err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		// The address bar shows only the filters in use.
		w.Header().Set("HX-Push-Url", "/readers"+queryString(r.URL.Query()))
		return s.renderBlock(w, status, "directory", "results", data)
	}
	if data.Live, err = s.Live.LiveNow(r.Context(), userOf(r)); err != nil {
		return err
	}
	return s.render(w, status, "directory", data)
}

// queryString is "?" and q without empty values, or "" when nothing is left.
func queryString(q url.Values) string {
	for k, vs := range q {
		if len(vs) == 0 || vs[0] == "" {
			q.Del(k)
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// favoriteSet returns the signed-in user's favourite reader ids.
func (s *Server) favoriteSet(r *http.Request) (map[int64]bool, error) {
	set := map[int64]bool{}
	u := userOf(r)
	if u.ID == 0 {
		return set, nil
	}
	ids, err := s.Readers.FavoriteIDs(r.Context(), u.ID)
	for _, id := range ids {
		set[id] = true
	}
	return set, err
}

// pathID parses the numeric {id} path parameter.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFoundRoute
	}
	return id, nil
}

// EmptyHint says what to change when no reader matches, naming only the
// filters in use; "" when no filter narrows the directory.
func (p directoryPage) EmptyHint() string {
	f := p.Filter
	var other []string
	if strings.TrimSpace(f.Query) != "" {
		other = append(other, "name")
	}
	if f.Specialty != "" {
		other = append(other, "specialty")
	}
	if f.Modality != "" {
		other = append(other, "reading type")
	}
	if f.MinCents != 0 || f.MaxCents != 0 {
		other = append(other, "price")
	}
	var hint string
	if n := len(other); n > 0 {
		hint = "Try another " + other[0]
		if n > 1 {
			hint = "Try another " + strings.Join(other[:n-1], ", ") + " or " + other[n-1]
		}
	}
	switch {
	case f.OnlineOnly && hint == "":
		return "No one is online right now. Switch off “Online now” to see every reader."
	case f.OnlineOnly:
		hint += ", or switch off “Online now”"
	case hint == "":
		return ""
	}
	return hint + "."
}

// Selected reports whether the band matches the filter's price range.
func (p priceBand) Selected(f reader.Filter) bool { return f.MinCents == p.Min && f.MaxCents == p.Max }

// Value is the band as the directory form sends it: "min-max" in cents.
func (p priceBand) Value() string { return fmt.Sprintf("%d-%d", p.Min, p.Max) }
