package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
)

// adminGiftCreate adds a gift to the catalog from the admin's gift page
// (LIV-4), audited by the service; a refused field is shown beside it, as
// typed.
func (s *Server) adminGiftCreate(w http.ResponseWriter, r *http.Request) error {
	return s.adminGiftSave(w, r, 0)
}

// adminGiftSave reads a gift's form and adds it (id 0) or updates gift id
// (LIV-4, SEC-4: the service records either in the audit log).
func (s *Server) adminGiftSave(w http.ResponseWriter, r *http.Request, id int64) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := giftForm{ID: id, Name: r.PostFormValue("name"), Price: r.PostFormValue("price"), Animation: r.PostFormValue("animation"),
		SortOrder: r.PostFormValue("sort_order"), Active: r.PostFormValue("active") != "", Choices: live.Animations}
	cents, okPrice := ledger.ParseCents(f.Price)
	order, errOrder := strconv.Atoi(strings.TrimSpace(f.SortOrder))
	fields := map[string]string{}
	if !okPrice {
		fields["price_cents"] = "Write the price in dollars, e.g. 3 or 2.50."
	}
	if errOrder != nil {
		fields["sort_order"] = "Use a whole number from 0 to 1000."
	}
	in := live.GiftInput{Name: f.Name, PriceCents: cents, Animation: f.Animation, Active: &f.Active, SortOrder: order}
	var err error
	switch {
	case len(fields) > 0:
		err = apperr.Validation(fields)
	case id == 0:
		_, err = s.Live.CreateGift(r.Context(), userOf(r), in)
	default:
		_, err = s.Live.UpdateGift(r.Context(), userOf(r), id, in)
	}
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		p, derr := s.adminGiftsData(w, r)
		if derr != nil {
			return derr
		}
		p.Message, f.Errors = apperr.MessageOf(err), e.Fields
		if id == 0 {
			p.New = f
		} else {
			for i := range p.Gifts {
				if p.Gifts[i].ID == id {
					p.Gifts[i] = f
				}
			}
		}
		return s.render(w, http.StatusBadRequest, "admin_gifts", p)
	}
	if err != nil {
		return err
	}
	s.setFlash(w, "The gift catalog is saved.")
	http.Redirect(w, r, "/admin/gifts", http.StatusSeeOther)
	return nil
}
