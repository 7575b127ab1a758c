package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/redirect"
)

// testCardPage is the data of the built-in test page for saving a card.
type testCardPage struct {
	Page
	Setup payment.TestCardSetup
	Cards []payment.TestCard
}

// testCardShow renders the test-mode page that stands in for Stripe
// Checkout's card-saving page when no Stripe key is configured (WAL-10,
// WAL-12); a page already used sends the browser on.
func (s *Server) testCardShow(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Payments.TestCardSetup(r.Context(), userOf(r), r.PathValue("session"))
	if err != nil {
		return err
	}
	if st.Saved {
		http.Redirect(w, r, redirect.Local(st.SuccessPath, "/wallet"), http.StatusSeeOther)
		return nil
	}
	return s.render(w, http.StatusOK, "test_card", testCardPage{Page: s.page(w, r, "Save a card (test mode)"), Setup: st, Cards: payment.TestCards})
}

// testCardSave "saves" the chosen test card: a signed webhook is delivered
// through the same verification path as Stripe's, and the browser returns
// to where the page was opened from.
func (s *Server) testCardSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	st, err := s.Payments.SaveTestCard(r.Context(), userOf(r), r.PathValue("session"), r.PostFormValue("card"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, redirect.Local(st.SuccessPath, "/wallet"), http.StatusSeeOther)
	return nil
}
