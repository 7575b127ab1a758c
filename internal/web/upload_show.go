package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/upload"
)

// uploadShow serves upload {id} (COM-3), or its thumbnail when {name} is
// "thumb": to anyone once it is part of something posted, before that to
// its owner and admins only. It is sent as the type its bytes were found
// to be, never sniffed again by the browser (nosniff), in a sandbox, with
// a file name — pictures shown in place, PDFs downloaded.
func (s *Server) uploadShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.Uploads.Get(r.Context(), id)
	if err != nil {
		return err
	}
	me := userOf(r)
	if !u.Attached && me.ID != u.OwnerID && me.Role != account.RoleAdmin {
		return apperr.Errorf(apperr.NotFound, "No such file.")
	}
	thumb := r.PathValue("name") == "thumb"
	if !thumb && r.PathValue("name") != u.Name {
		return apperr.Errorf(apperr.NotFound, "No such file.")
	}
	f, err := s.Uploads.Open(r.Context(), u, thumb)
	if err != nil {
		return err
	}
	defer f.Close()
	disposition := "inline"
	if u.ContentType == upload.PDF {
		disposition = "attachment"
	}
	s.serveFile(w, f, disposition, u.Name, "private, max-age=3600")
	return nil
}
