package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/upload"
)

// maxComposerBody bounds a composer's form: its text and, sent without
// JavaScript, every file a post may carry.
const maxComposerBody = upload.MaxAttachments*(upload.MaxBytes+64<<10) + maxFormBody

// parseComposerForm reads a composer's form, sent as a plain form or,
// with files from its file input, as multipart.
func parseComposerForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxComposerBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return apperr.Errorf(apperr.Invalid, "The form could not be read. Please try again.")
	}
	return nil
}

// readComposer reads a composer's form into c with its attachments and,
// when the user asked for a preview or something was refused, answers
// with the page (data, which holds c) and reports that it did.
func (s *Server) readComposer(w http.ResponseWriter, r *http.Request, c *composer, page string, data any) (bool, error) {
	preview := c.read(r)
	if err := s.readAttachments(r, c); err != nil {
		return true, err
	}
	if c.Errors != nil {
		return true, s.render(w, http.StatusBadRequest, page, data)
	}
	if preview {
		return true, s.render(w, http.StatusOK, page, data)
	}
	return false, nil
}

// readAttachments fills the composer's chosen attachments (COM-3): the
// uploads named in the repeated field attachment_ids (uploaded by the
// page's script), then the files sent through the file input without
// JavaScript, each stored as the API's POST /uploads stores it. A file
// refused is told beside the input ("file"); an id that is not the
// viewer's fresh upload is kept for the forum to refuse when posting.
func (s *Server) readAttachments(r *http.Request, c *composer) error {
	who := userOf(r)
	for _, v := range r.PostForm["attachment_ids"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		u, err := s.Uploads.Get(r.Context(), id)
		if err != nil && apperr.CodeOf(err) != apperr.NotFound {
			return err
		}
		if err != nil || u.OwnerID != who.ID || u.Attached {
			u = upload.Upload{ID: id} // not shown; refused when posting
		}
		c.Attachments = append(c.Attachments, u)
	}
	if r.MultipartForm == nil {
		return nil
	}
	for _, fh := range r.MultipartForm.File["file"] {
		if fh.Size == 0 && fh.Filename == "" {
			continue // the input left empty
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(f, upload.MaxBytes+1))
		f.Close()
		if err != nil {
			return err
		}
		u, err := s.Uploads.Create(r.Context(), who, fh.Filename, data)
		if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
			c.Errors = e.Fields
			return nil
		}
		if err != nil {
			return err
		}
		c.Attachments = append(c.Attachments, u)
	}
	return nil
}
