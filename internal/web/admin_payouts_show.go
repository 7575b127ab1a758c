package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/payout"
)

// adminPayoutsPage is the data of /admin/payouts.
type adminPayoutsPage struct {
	Page
	Due      []payout.Due // readers the next run considers
	MinCents int64
	Schedule payout.Schedule
	Pending  []payout.Payout // sent, Stripe's answer not known yet
	Failed   []payout.Payout // refused or reversed; money back in earnings
	Holds    []payout.Hold
	Recent   []payout.Payout
	// Message says why the last action was refused; Errors are the field
	// errors of the hold form, whose fields keep what was typed.
	Message      string
	Errors       map[string]string
	HoldReader   string
	HoldReason   string
	retriedFails map[int64]bool
}

// Retried reports whether a failed payout was retried already.
func (p adminPayoutsPage) Retried(id int64) bool { return p.retriedFails[id] }

// adminPayoutsShow renders the payout control (EXT-3, DASH-A): readers
// due with what they have available, pending and failed payouts, held
// readers, recent payouts; run all or one, hold and release, retry.
func (s *Server) adminPayoutsShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderAdminPayouts(w, r, http.StatusOK, adminPayoutsPage{})
}

func (s *Server) renderAdminPayouts(w http.ResponseWriter, r *http.Request, status int, data adminPayoutsPage) error {
	ctx := r.Context()
	data.Page, data.MinCents, data.Schedule = s.page(w, r, "Payouts"), s.Payouts.MinCents, s.Payouts.Schedule
	var err error
	if data.Due, err = s.Payouts.Due(ctx); err != nil {
		return err
	}
	if data.Pending, err = s.Payouts.List(ctx, payout.Filter{State: payout.Pending, Limit: 200}); err != nil {
		return err
	}
	if data.Failed, err = s.Payouts.List(ctx, payout.Filter{State: payout.Failed, Limit: 200}); err != nil {
		return err
	}
	if data.Holds, err = s.Payouts.Holds(ctx); err != nil {
		return err
	}
	if data.Recent, err = s.Payouts.List(ctx, payout.Filter{Limit: 50}); err != nil {
		return err
	}
	data.retriedFails = map[int64]bool{}
	for _, p := range data.Recent {
		if p.RetryOf != 0 {
			data.retriedFails[p.RetryOf] = true
		}
	}
	return s.render(w, status, "admin_payouts", data)
}

// adminPayoutsRefused shows the payout page again with why an admin's
// action was refused; errors that are not the user's stay errors.
func (s *Server) adminPayoutsRefused(w http.ResponseWriter, r *http.Request, err error, data adminPayoutsPage) error {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.Internal {
		return err
	}
	data.Message, data.Errors = apperr.MessageOf(err), e.Fields
	return s.renderAdminPayouts(w, r, statusOf(e.Code), data)
}

// formReaderID reads a reader id typed into a form, or says which field
// is wrong.
func formReaderID(v string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Validation(map[string]string{"reader_id": "Give the reader's user id, a whole number."})
	}
	return id, nil
}
