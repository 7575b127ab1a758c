package web

import (
	"fmt"
	"html/template"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

// adminDashboardPage is the data of the admin dashboard (DASH-A).
type adminDashboardPage struct {
	Page
	Figures     adminFigures
	Chart       template.HTML // the platform's revenue trend
	Days        []int         // the trend lengths offered
	FailedDays  int           // how far back Figures.PayoutsFailed counts
	Errors      map[string]string
	Pending     []reader.Profile
	Applied     []reader.Application // applications to become a reader waiting for a decision (ACC-8)
	RecentAudit []audit.Entry
	Unbillable  []reading.Reading // readings the ledger refused to bill (OD-5)
}

// adminDashboardShow renders the admin dashboard: platform figures (users,
// readers, readings and revenue today, revenue this month), the revenue
// trend over 30 or 90 days (?days=), top readers by earnings this month,
// readers awaiting verification with their KYC flags, applications to
// become a reader, the moderation queue and open claims, the payouts due
// at the next run and those failed lately, recent refunds and
// adjustments, readings that could not be billed and the latest audited
// actions.
func (s *Server) adminDashboardShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	data := adminDashboardPage{Days: trendDays, FailedDays: failedPayoutDays}
	days, status := trendDays[0], http.StatusOK
	if n, err := trendDaysOf(r); err != nil {
		data.Errors, status = apperr.As(err).Fields, http.StatusBadRequest
	} else {
		days = n
	}
	var err error
	if data.Pending, err = s.Readers.PendingVerification(ctx); err != nil {
		return err
	}
	if data.Figures, err = s.adminFiguresOf(ctx, data.Pending, s.Clock.Now(), days); err != nil {
		return err
	}
	if data.Chart, err = trendChart("revenue-trend", fmt.Sprintf("Platform revenue, last %d days", days), "Revenue", data.Figures.Trend); err != nil {
		return err
	}
	if data.Applied, err = s.Readers.Applications(ctx, reader.ApplicationPending); err != nil {
		return err
	}
	if data.Unbillable, err = s.Readings.Unbillable(ctx, 10); err != nil {
		return err
	}
	if data.RecentAudit, err = audit.List(ctx, s.DB.Read(), audit.Filter{Limit: 10}); err != nil {
		return err
	}
	data.Page = s.page(w, r, "Admin")
	return s.render(w, status, "admin_dashboard", data)
}
