package web

import "net/http"

// deletionConfirmRequest is the body that confirms a deletion.
type deletionConfirmRequest struct {
	Token string `json:"token"`
}

// apiDeletionConfirm deletes the account an emailed deletion link was
// sent for (SEC-2): what it has under way is settled, its data erased and
// its sessions and tokens end; 204. An invalid, used or expired link is
// refused and deletes nothing.
func (s *Server) apiDeletionConfirm(w http.ResponseWriter, r *http.Request) error {
	var req deletionConfirmRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.Deletion.Delete(r.Context(), req.Token); err != nil {
		return err
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
