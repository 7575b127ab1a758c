package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/payment"
)

// adjustmentRequestResponse is an adjustment request in API responses.
type adjustmentRequestResponse struct {
	ID            int64      `json:"id"`
	RequestedBy   int64      `json:"requested_by"`
	RequesterName string     `json:"requester_name"`
	AmountCents   int64      `json:"amount_cents"`
	Reason        string     `json:"reason"`
	Status        string     `json:"status"`
	DecidedBy     int64      `json:"decided_by,omitempty"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	TransferID    int64      `json:"transfer_id,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

func adjustmentRequestJSON(a payment.AdjustmentRequest) adjustmentRequestResponse {
	out := adjustmentRequestResponse{ID: a.ID, RequestedBy: a.RequestedBy, RequesterName: a.RequesterName, AmountCents: a.AmountCents,
		Reason: a.Reason, Status: a.Status, DecidedBy: a.DecidedBy, TransferID: a.TransferID, CreatedAt: a.CreatedAt}
	if !a.DecidedAt.IsZero() {
		out.DecidedAt = &a.DecidedAt
	}
	return out
}

// adminAdjustmentDecide approves or rejects, from the refunds page, a
// credit another admin asked for their own wallet (WAL-8, SEC-4).
func (s *Server) adminAdjustmentDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	a, err := s.Payments.DecideAdjustment(r.Context(), userOf(r), id, r.PostFormValue("decision"))
	if err != nil {
		return s.refundsFormError(w, r, "request-"+strconv.FormatInt(id, 10), err)
	}
	s.setFlash(w, "Adjustment request "+strconv.FormatInt(a.ID, 10)+" is "+a.Status+".")
	http.Redirect(w, r, "/admin/refunds/", http.StatusSeeOther)
	return nil
}

// apiAdjustmentDecideRequest is the body of POST /api/v1/admin/adjustments/{id}/decide.
type apiAdjustmentDecideRequest struct {
	Decision string `json:"decision"`
}

// apiAdminAdjustmentDecide approves or rejects a credit another admin asked
// for their own wallet (WAL-8, SEC-4).
func (s *Server) apiAdminAdjustmentDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req apiAdjustmentDecideRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	a, err := s.Payments.DecideAdjustment(r.Context(), userOf(r), id, req.Decision)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, adjustmentRequestJSON(a))
}
