package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/redirect"
)

// adminUsersPage is the data of the admin user list.
type adminUsersPage struct {
	Page
	Users  []account.User
	Total  int
	Query  string
	Role   string
	Roles  []account.Role
	Offset int
	Next   int
	Errors map[string]string
}

// adminUsersList lists users with search and role filter; a search the
// filter refuses lists every user and says why (400).
func (s *Server) adminUsersList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	role, _ := account.ParseRole(q.Get("role"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	f := account.ListFilter{Query: q.Get("q"), Role: role, Limit: 50, Offset: max(offset, 0)}
	data := adminUsersPage{Page: s.page(w, r, "Users"), Query: f.Query, Role: string(role),
		Roles: []account.Role{account.RoleClient, account.RoleReader, account.RoleAdmin}, Offset: f.Offset}
	status := http.StatusOK
	if err := f.Validate(); err != nil {
		data.Errors, status = apperr.As(err).Fields, http.StatusBadRequest
		f = account.ListFilter{Limit: 50}
	}
	var err error
	if data.Users, data.Total, err = s.Accounts.List(r.Context(), f); err != nil {
		return err
	}
	if f.Offset+50 < data.Total {
		data.Next = f.Offset + 50
	}
	return s.render(w, status, "admin_users", data)
}

// adminRoleUpdate promotes or demotes a user (ACC-3).
func (s *Server) adminRoleUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	role, ok := account.ParseRole(r.PostFormValue("role"))
	if !ok {
		return apperr.Validation(map[string]string{"role": "Choose client, reader or admin."})
	}
	u, err := s.Accounts.SetRole(r.Context(), userOf(r), id, role)
	if err != nil {
		return err
	}
	s.setFlash(w, u.DisplayName+" is now "+string(u.Role)+".")
	http.Redirect(w, r, redirect.Local(r.PostFormValue("next"), "/admin/users"), http.StatusSeeOther)
	return nil
}

// adminReadersPage is the data of the admin reader list.
type adminReadersPage struct {
	Page
	Pending []reader.Profile
	All     []reader.Profile
	KYC     []string
}

// adminReadersList lists readers awaiting verification and all readers.
func (s *Server) adminReadersList(w http.ResponseWriter, r *http.Request) error {
	pending, err := s.Readers.PendingVerification(r.Context())
	if err != nil {
		return err
	}
	all, _, err := s.Readers.List(r.Context(), reader.Filter{IncludeUnverified: true, IDs: nil, Limit: reader.MaxPageSize, Sort: reader.SortNewest})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_readers", adminReadersPage{
		Page: s.page(w, r, "Readers"), Pending: pending, All: all,
		KYC: []string{reader.KYCNotStarted, reader.KYCPending, reader.KYCApproved, reader.KYCRejected},
	})
}

// adminReaderVerify verifies or un-verifies a reader (ACC-5).
func (s *Server) adminReaderVerify(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	verified := r.PostFormValue("verified") != "false"
	p, err := s.Readers.SetVerified(r.Context(), userOf(r), id, verified)
	if err != nil {
		return err
	}
	if verified {
		s.setFlash(w, p.DisplayName+" is verified and now visible to clients.")
	} else {
		s.setFlash(w, p.DisplayName+" is no longer verified and is hidden from clients.")
	}
	http.Redirect(w, r, redirect.Local(r.PostFormValue("next"), "/admin/readers"), http.StatusSeeOther)
	return nil
}

// adminReaderKYCUpdate records a reader's KYC status.
func (s *Server) adminReaderKYCUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.Readers.SetKYC(r.Context(), userOf(r), id, r.PostFormValue("kyc_status"))
	if err != nil {
		return err
	}
	s.setFlash(w, "KYC status of "+p.DisplayName+" is now "+titleCase(p.KYCStatus)+".")
	http.Redirect(w, r, "/admin/readers", http.StatusSeeOther)
	return nil
}
