package payment

import (
	"context"

	"github.com/stripe/stripe-go/v85"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/redirect"
)

// CardSetup is a completed card-saving page (WAL-12): the Checkout Session
// in setup mode and the SetupIntent that saved the card.
type CardSetup struct {
	SessionID     string
	SetupIntentID string
	CustomerID    string
}

// StartCardSetup opens a page on which the user saves a card that may be
// charged while they are away (WAL-12): Stripe Checkout in setup mode for
// the user's Customer, or the built-in test page in test mode (WAL-10).
// The browser then returns to returnPath, a path on this site (anything
// else means the wallet), with ?card=saved or ?card=cancelled. The card
// arrives by the page's checkout.session.completed event (see CardSetUp).
func (s *Service) StartCardSetup(ctx context.Context, u account.User, returnPath string) (Checkout, error) {
	cus, err := s.Customer(ctx, u)
	if err != nil {
		return Checkout{}, err
	}
	back := s.BaseURL + redirect.Local(returnPath, "/wallet")
	co, err := s.Gateway.CreateCardSetup(ctx, CardSetupRequest{UserID: u.ID, CustomerID: cus, SuccessURL: back + "?card=saved", CancelURL: back + "?card=cancelled"})
	if err != nil {
		s.Log.Error("card setup creation failed", "user", u.ID, "err", err)
		return Checkout{}, apperr.Errorf(apperr.Unavailable, "We could not reach the payment provider. Please try again in a moment.")
	}
	return co, nil
}

// applyCardSetup hands a completed card-saving page to CardSetUp; the
// other events of such a page (it expired) change nothing.
func (s *Service) applyCardSetup(ctx context.Context, tx *db.Tx, ev stripe.Event, cs checkoutSession) (effect, error) {
	switch {
	case ev.Type != "checkout.session.completed":
		return processed("card-saving page " + cs.ID + ": " + string(ev.Type)), nil
	case cs.SetupIntent == "":
		return mismatch("card-saving page " + cs.ID + " names no setup intent"), nil
	case s.CardSetUp == nil:
		return effect{outcome: EventIgnored, note: "cards are not saved"}, nil
	}
	note, err := s.CardSetUp(ctx, tx, CardSetup{SessionID: cs.ID, SetupIntentID: string(cs.SetupIntent), CustomerID: string(cs.Customer)})
	if apperr.CodeOf(err) == apperr.NotFound {
		return mismatch(apperr.MessageOf(err)), nil
	}
	return processed(note), err
}
