package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/payment"
)

// apiAdminAdjustmentsList lists the credits admins asked for their own
// wallets, newest first; ?status= narrows to pending, approved or rejected
// (WAL-8, SEC-4).
func (s *Server) apiAdminAdjustmentsList(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	switch status {
	case "", payment.AdjustPending, payment.AdjustApproved, payment.AdjustRejected:
	default:
		return apperr.Validation(map[string]string{"status": `Use "pending", "approved" or "rejected".`})
	}
	list, err := s.Payments.AdjustmentRequests(r.Context(), status, 200)
	if err != nil {
		return err
	}
	out := make([]adjustmentRequestResponse, 0, len(list))
	for _, a := range list {
		out = append(out, adjustmentRequestJSON(a))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"requests": out})
}
