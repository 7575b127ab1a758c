package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
)

// dashboardResponse is the caller's dashboard in figures: every user's
// client figures (DASH-C); a reader's also their earnings and readings
// (DASH-R); an admin's also the platform's (DASH-A).
type dashboardResponse struct {
	Role   account.Role   `json:"role"`
	Client clientFigures  `json:"client"`
	Reader *readerFigures `json:"reader,omitempty"`
	Admin  *adminFigures  `json:"admin,omitempty"`
}

// apiDashboardShow returns the figures of the caller's dashboards, the same
// the pages show, with trends over ?days= (30 or 90; anything else is a
// 400 problem).
func (s *Server) apiDashboardShow(w http.ResponseWriter, r *http.Request) error {
	days, err := trendDaysOf(r)
	if err != nil {
		return err
	}
	ctx, u, now := r.Context(), userOf(r), s.Clock.Now()
	out := dashboardResponse{Role: u.Role}
	if out.Client, _, err = s.clientFiguresOf(ctx, u, now); err != nil {
		return err
	}
	switch u.Role {
	case account.RoleReader:
		p, err := s.Readers.Get(ctx, u, u.ID)
		if err != nil {
			return err
		}
		f, err := s.readerFiguresOf(ctx, p, now, days)
		if err != nil {
			return err
		}
		out.Reader = &f
	case account.RoleAdmin:
		pending, err := s.Readers.PendingVerification(ctx)
		if err != nil {
			return err
		}
		f, err := s.adminFiguresOf(ctx, pending, now, days)
		if err != nil {
			return err
		}
		out.Admin = &f
	}
	return writeJSON(w, http.StatusOK, out)
}
