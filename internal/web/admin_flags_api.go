package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/flag"
)

// apiAdminFlagsList is the moderation queue (COM-6): the items with
// pending flags, oldest first, each with its flags, earlier decisions and
// its author's record. Only status=pending (the default) is listed.
func (s *Server) apiAdminFlagsList(w http.ResponseWriter, r *http.Request) error {
	if st := r.URL.Query().Get("status"); st != "" && st != flag.Pending {
		return apperr.Validation(map[string]string{"status": "Only pending flags are queued: status=pending."})
	}
	q, err := s.Flags.Queue(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": q})
}

// decisionRequest is an admin's decision as the API takes it.
type decisionRequest struct {
	Action      string `json:"action"`
	Note        string `json:"note"`
	SuspendDays int    `json:"suspend_days"`
}

// apiAdminFlagDecide decides on the item flag {id} is about (COM-6):
// dismiss, hide, delete, warn or suspend, settling every pending flag of
// the item, audited; 200 with how many flags it settled, 409 when the item
// was decided already.
func (s *Server) apiAdminFlagDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req decisionRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	n, err := s.Flags.DecideFlag(r.Context(), userOf(r), id, flag.Decision{Action: req.Action, Note: req.Note, SuspendDays: req.SuspendDays})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"settled": n, "action": req.Action})
}
