package web

import (
	"fmt"
	"io"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop"
)

// multipartFile reads the file sent in the multipart field of a request
// body of at most limit bytes: its name and bytes. A request without the
// field, or with a larger file, is a 400 naming the field.
func multipartFile(w http.ResponseWriter, r *http.Request, field string, limit int64) (string, []byte, error) {
	refuse := apperr.Validation(map[string]string{field: fmt.Sprintf("Send the file in the multipart field %q, at most %d MB.", field, limit>>20)})
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	file, header, err := r.FormFile(field)
	if err != nil {
		return "", nil, refuse
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil || int64(len(data)) > limit {
		return "", nil, refuse
	}
	return header.Filename, data, nil
}

// apiAdminShopProductFile stores the file digital product {id} delivers
// (SHOP-2, SHOP-6), sent in the multipart field "file", replacing the one
// before, audited: 200 with the product. A physical product takes no file
// (400 naming file).
func (s *Server) apiAdminShopProductFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, data, err := multipartFile(w, r, "file", shop.MaxFileBytes)
	if err != nil {
		return err
	}
	p, err := s.Shop.SetProductFile(r.Context(), userOf(r), id, name, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// apiAdminShopProductImage makes the picture sent in the multipart field
// "image" product {id}'s (SHOP-2), re-encoded without metadata, audited:
// 200 with the product and its image_url and thumb_url. A file that is
// not a picture is a 400 naming image.
func (s *Server) apiAdminShopProductImage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, data, err := multipartFile(w, r, "image", shop.MaxImageBytes)
	if err != nil {
		return err
	}
	p, err := s.Shop.SetProductImage(r.Context(), userOf(r), id, name, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
