package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/flag"
)

// adminFlagsPage is the data of the moderation queue page.
type adminFlagsPage struct {
	Page
	Items   []flag.Flagged
	Reasons map[string]string // reason code → label
}

// adminFlagsShow is the moderation queue (COM-6): each flagged item,
// longest waiting first, with what it says, where it is, who flagged it
// and why, the earlier decisions on it and its author's record, and a
// form deciding on it.
func (s *Server) adminFlagsShow(w http.ResponseWriter, r *http.Request) error {
	items, err := s.Flags.Queue(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	p := adminFlagsPage{Page: s.page(w, r, "Moderation queue"), Items: items, Reasons: map[string]string{}}
	for _, reason := range flag.Reasons {
		p.Reasons[reason.Code] = reason.Label
	}
	return s.render(w, http.StatusOK, "admin_flags", p)
}

// adminFlagDecide decides on the item flag {id} is about from the queue
// page (COM-6), audited by the service, and returns to the queue saying
// what was done; a refusal (someone decided first, a bad period) is said
// there too.
func (s *Server) adminFlagDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	days, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("suspend_days")))
	d := flag.Decision{Action: r.PostFormValue("action"), Note: r.PostFormValue("note"), SuspendDays: days}
	n, err := s.Flags.DecideFlag(r.Context(), userOf(r), id, d)
	switch e := apperr.As(err); {
	case err == nil:
		s.setFlash(w, fmt.Sprintf("Decided: %s. Flags settled: %d.", d.Action, n))
	case e != nil && e.Code != apperr.NotFound:
		s.setFlash(w, e.Message+" "+strings.Join(fieldMessages(e.Fields), " "))
	default:
		return err
	}
	http.Redirect(w, r, "/admin/flags", http.StatusSeeOther)
	return nil
}

// fieldMessages lists a validation error's field messages.
func fieldMessages(fields map[string]string) []string {
	out := make([]string, 0, len(fields))
	for _, m := range fields {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}
