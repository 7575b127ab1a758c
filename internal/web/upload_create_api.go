package web

import (
	"io"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/upload"
)

// uploadJSON is an upload as the API shows it: where to fetch it and its
// thumbnail, to name in a post's attachment_ids.
type uploadJSON struct {
	upload.Upload
	URL      string `json:"url"`
	ThumbURL string `json:"thumb_url,omitempty"`
}

// apiUploadCreate stores the file in the multipart field "file" for the
// signed-in user (COM-3): 201 with the upload; a file that is not a
// picture or PDF, empty, over the limit or past the quota is a 400 naming
// the field.
func (s *Server) apiUploadCreate(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, upload.MaxBytes+64<<10)
	file, header, err := r.FormFile("file")
	if err != nil {
		return apperr.Validation(map[string]string{"file": "Send the file in the multipart field \"file\", at most 10 MB."})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, upload.MaxBytes+1))
	if err != nil {
		return apperr.Validation(map[string]string{"file": "The file could not be read; send it again."})
	}
	u, err := s.Uploads.Create(r.Context(), userOf(r), header.Filename, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, uploadJSON{Upload: u, URL: u.URL(), ThumbURL: u.ThumbURL()})
}
