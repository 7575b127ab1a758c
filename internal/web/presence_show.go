package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
)

// maxPresenceIDs bounds one presence lookup.
const maxPresenceIDs = 100

// apiPresenceShow returns the presence of up to 100 verified readers,
// ?ids=1,2,3 → {"statuses": {"1": "online", …}, "online_count": n} with
// how many readers are online in all, so pages showing readers — visitors'
// included — keep every part that depends on presence current without
// reloading (RDR-3).
func (s *Server) apiPresenceShow(w http.ResponseWriter, r *http.Request) error {
	var ids []int64
	for _, part := range strings.Split(r.URL.Query().Get("ids"), ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return apperr.Validation(map[string]string{"ids": "Give reader ids separated by commas, e.g. 3,7,12."})
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 || len(ids) > maxPresenceIDs {
		return apperr.Validation(map[string]string{"ids": "Give between 1 and 100 reader ids."})
	}
	list, _, err := s.Readers.List(r.Context(), reader.Filter{IDs: ids, Limit: maxPresenceIDs})
	if err != nil {
		return err
	}
	out := make(map[string]reader.Status, len(list))
	for _, p := range list {
		out[strconv.FormatInt(p.UserID, 10)] = p.Status
	}
	_, online, err := s.Readers.List(r.Context(), reader.Filter{OnlineOnly: true, Limit: 1})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, map[string]any{"statuses": out, "online_count": online})
}
