package web

import "net/http"

// apiAdminGiftUpdate replaces a gift's fields (LIV-4), audited with what it
// was before (SEC-4): 200 with the gift. Setting active to false takes it
// off offer; gifts already sent keep their price.
func (s *Server) apiAdminGiftUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req giftRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	g, err := s.Live.UpdateGift(r.Context(), userOf(r), id, req.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}
