package web

import (
	"maps"
	"net/url"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/message"
)

// parseMessageFilter reads the filters of conversation lists, histories and
// message searches (MSG-5) from a query: unread, paid (true or false), with
// (a user id), q (search text), before (a message id), limit and offset.
func parseMessageFilter(q url.Values) (message.Filter, error) {
	f := message.Filter{Query: q.Get("q")}
	fields := map[string]string{}
	flag := func(name string, dst *bool) {
		switch q.Get(name) {
		case "", "0", "false":
		case "1", "true", "on":
			*dst = true
		default:
			fields[name] = "Use true or false."
		}
	}
	flag("unread", &f.Unread)
	flag("paid", &f.Paid)
	id := func(name string, dst *int64) {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				fields[name] = "Must be an id, a whole number above 0."
			}
			*dst = n
		}
	}
	id("with", &f.With)
	id("before", &f.Before)
	var err error
	if f.Limit, f.Offset, err = parsePaging(q, message.MaxLimit); err != nil {
		maps.Copy(fields, apperr.As(err).Fields)
	}
	return f, apperr.Validation(fields)
}
