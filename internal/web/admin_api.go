package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
)

// apiAdminUsersList lists users for admins.
func (s *Server) apiAdminUsersList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := account.ListFilter{Query: q.Get("q")}
	if v := q.Get("role"); v != "" {
		role, ok := account.ParseRole(v)
		if !ok {
			return apperr.Validation(map[string]string{"role": "Use client, reader or admin."})
		}
		f.Role = role
	}
	var err error
	if f.Limit, f.Offset, err = parsePaging(q, 200); err != nil {
		return err
	}
	users, total, err := s.Accounts.List(r.Context(), f)
	if err != nil {
		return err
	}
	out := struct {
		Users []userResponse `json:"users"`
		Total int            `json:"total"`
	}{Users: make([]userResponse, 0, len(users)), Total: total}
	for _, u := range users {
		out.Users = append(out.Users, userResponse{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName, Role: u.Role, Dashboard: u.Dashboard(), CreatedAt: u.CreatedAt})
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiRoleRequest is the body of POST /api/v1/admin/users/{id}/role.
type apiRoleRequest struct {
	Role string `json:"role"`
}

// apiAdminRoleUpdate promotes or demotes a user (ACC-3).
func (s *Server) apiAdminRoleUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req apiRoleRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	role, ok := account.ParseRole(req.Role)
	if !ok {
		return apperr.Validation(map[string]string{"role": "Use client, reader or admin."})
	}
	u, err := s.Accounts.SetRole(r.Context(), userOf(r), id, role)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.userJSON(r, u))
}

// apiVerifyRequest is the optional body of POST /api/v1/admin/readers/{id}/verify.
type apiVerifyRequest struct {
	Verified *bool `json:"verified"`
}

// apiAdminReaderVerify verifies a reader (or, with {"verified": false},
// withdraws verification) (ACC-5).
func (s *Server) apiAdminReaderVerify(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	req := apiVerifyRequest{}
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	verified := req.Verified == nil || *req.Verified
	p, err := s.Readers.SetVerified(r.Context(), userOf(r), id, verified)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, readerJSON(p, userOf(r)))
}

// apiKYCRequest is the body of POST /api/v1/admin/readers/{id}/kyc.
type apiKYCRequest struct {
	KYCStatus string `json:"kyc_status"`
}

// apiAdminReaderKYCUpdate records a reader's KYC status.
func (s *Server) apiAdminReaderKYCUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req apiKYCRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	p, err := s.Readers.SetKYC(r.Context(), userOf(r), id, req.KYCStatus)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, readerJSON(p, userOf(r)))
}
