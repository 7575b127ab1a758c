package web

import (
	"net/url"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/notify"
)

// parseNotificationFilter reads a page of the notification list from a
// query (MSG-2): before (the last id of the previous page), limit and
// unread (true or false). Bad values are field errors, never a 500.
func parseNotificationFilter(q url.Values) (notify.ListFilter, error) {
	var f notify.ListFilter
	fields := map[string]string{}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			fields["before"] = "Use the id of the last notification shown."
		}
		f.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > notify.MaxListLimit {
			fields["limit"] = "Use a number from 1 to " + strconv.Itoa(notify.MaxListLimit) + "."
		}
		f.Limit = n
	}
	switch q.Get("unread") {
	case "", "0", "false":
	case "1", "true", "on":
		f.UnreadOnly = true
	default:
		fields["unread"] = "Use true or false."
	}
	if len(fields) > 0 {
		return notify.ListFilter{}, apperr.Validation(fields)
	}
	return f, nil
}
