package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/shop"
)

// adminShopProductEdit shows product id's form, archived or not, with the
// forms that upload its file (digital) and its picture.
func (s *Server) adminShopProductEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	prod, err := s.Shop.Product(r.Context(), id, true)
	if err != nil {
		return err
	}
	p := adminShopProductPage{Page: s.page(w, r, prod.Name), Product: prod, Form: formOfProduct(prod)}
	return s.render(w, http.StatusOK, "admin_shop_product", p)
}

// adminShopProductUpdate saves product id's form, or, sent as multipart
// with a "file" or an "image", stores the file a digital product delivers
// (SHOP-2, SHOP-6) or its picture; each is audited by the shop and a
// refused upload is named beside its field.
func (s *Server) adminShopProductUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, shop.MaxFileBytes+1<<20)
	err = r.ParseMultipartForm(1 << 20)
	switch {
	case errors.Is(err, http.ErrNotMultipart):
		if err := parseForm(w, r); err != nil {
			return err
		}
		return s.saveProduct(w, r, id)
	case err != nil:
		return s.productUploadRefused(w, r, id, "file", "The upload could not be read; it may be too large. Try again.")
	}
	field, limit := "file", int64(shop.MaxFileBytes)
	if r.MultipartForm.File["image"] != nil {
		field, limit = "image", shop.MaxImageBytes
	}
	f, header, err := r.FormFile(field)
	if err != nil {
		return s.productUploadRefused(w, r, id, field, "Choose a file.")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return s.productUploadRefused(w, r, id, field, "The file could not be read; send it again.")
	}
	if int64(len(data)) > limit {
		return s.productUploadRefused(w, r, id, field, fmt.Sprintf("The file is larger than %d MB.", limit>>20))
	}
	var prod shop.Product
	if field == "image" {
		prod, err = s.Shop.SetProductImage(r.Context(), userOf(r), id, header.Filename, data)
	} else {
		prod, err = s.Shop.SetProductFile(r.Context(), userOf(r), id, header.Filename, data)
	}
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		return s.productUploadRefused(w, r, id, field, e.Fields[field])
	}
	if err != nil {
		return err
	}
	if field == "image" {
		s.setFlash(w, "The picture of "+prod.Name+" is saved.")
	} else {
		s.setFlash(w, fmt.Sprintf("%s now delivers %s.", prod.Name, prod.FileName))
	}
	http.Redirect(w, r, "/admin/shop/products/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// productUploadRefused shows product id's page again with msg beside the
// upload field.
func (s *Server) productUploadRefused(w http.ResponseWriter, r *http.Request, id int64, field, msg string) error {
	prod, err := s.Shop.Product(r.Context(), id, true)
	if err != nil {
		return err
	}
	if msg == "" {
		msg = "This file cannot be used."
	}
	p := adminShopProductPage{Page: s.page(w, r, prod.Name), Product: prod, Form: formOfProduct(prod), Message: "The upload was refused.",
		Uploads: map[string]string{field: msg}}
	return s.render(w, http.StatusBadRequest, "admin_shop_product", p)
}
