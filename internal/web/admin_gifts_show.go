package web

import (
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/live"
)

// giftForm is a gift's form as the admin typed it.
type giftForm struct {
	ID        int64 // 0 for the new gift's form
	Name      string
	Price     string // in dollars
	Animation string
	SortOrder string
	Active    bool
	Errors    map[string]string // what was refused, by field
	Choices   []string          // the animations to choose from: live.Animations
}

// FormID is the HTML id of the gift's form.
func (f giftForm) FormID() string {
	if f.ID == 0 {
		return "gift-new"
	}
	return "gift-" + strconv.FormatInt(f.ID, 10)
}

// Action is where the gift's form posts: the new gift's to the catalog,
// an existing gift's to the gift.
func (f giftForm) Action() string {
	if f.ID == 0 {
		return "/admin/gifts"
	}
	return "/admin/gifts/" + strconv.FormatInt(f.ID, 10)
}

// adminGiftsPage is the data of the admin's gift catalog page.
type adminGiftsPage struct {
	Page
	Gifts   []giftForm
	New     giftForm
	Message string // why the last save was refused
}

// adminGiftsShow is the gift catalog for admins (LIV-4): every gift, on
// offer or not, each editable in place, and a form adding one.
func (s *Server) adminGiftsShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.adminGiftsData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_gifts", p)
}

// adminGiftsData is the catalog page as the catalog stands.
func (s *Server) adminGiftsData(w http.ResponseWriter, r *http.Request) (adminGiftsPage, error) {
	p := adminGiftsPage{Page: s.page(w, r, "Gift catalog"),
		New: giftForm{Animation: live.Animations[0], SortOrder: "0", Active: true, Choices: live.Animations}}
	gifts, err := s.Live.Gifts(r.Context(), true)
	for _, g := range gifts {
		p.Gifts = append(p.Gifts, giftForm{ID: g.ID, Name: g.Name, Price: dollars(g.PriceCents), Animation: g.Animation,
			SortOrder: strconv.Itoa(g.SortOrder), Active: g.Active, Choices: live.Animations})
	}
	return p, err
}
