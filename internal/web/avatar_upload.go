package web

import (
	"io"
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
)

// avatarUpload stores the photo uploaded in a form's "avatar" field as the
// signed-in user's, of at most account.MaxAvatarBytes, and sends them back
// to the page at back saying whether it worked (ACC-9, RDR-1).
func (s *Server) avatarUpload(w http.ResponseWriter, r *http.Request, back string) error {
	r.Body = http.MaxBytesReader(w, r.Body, account.MaxAvatarBytes+64<<10)
	file, _, err := r.FormFile("avatar")
	if err != nil {
		s.setFlash(w, "Choose a PNG, JPEG, GIF or WebP image of at most 5 MB.")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, account.MaxAvatarBytes+1))
	if err != nil {
		return err
	}
	if _, err := s.Accounts.UploadAvatar(r.Context(), userOf(r).ID, data); err != nil {
		if apperr.CodeOf(err) != apperr.Invalid {
			return err
		}
		s.setFlash(w, "That file is not an image we can use. Choose a PNG, JPEG, GIF or WebP of at most 5 MB.")
	} else {
		s.setFlash(w, "Your new photo is saved.")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
