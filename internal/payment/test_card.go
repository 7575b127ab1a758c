package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// TestCard is a card the built-in test page for saving a card offers.
type TestCard struct {
	Last4    string
	Declines bool // saved, but refused when charged, like Stripe's 4000 0000 0000 0341
	Label    string
}

// TestCards are the cards of the test page (WAL-10, WAL-12): one whose
// charges succeed and one whose charges are declined.
var TestCards = []TestCard{
	{Last4: "4242", Label: "Visa •••• 4242 — payments succeed"},
	{Last4: "0341", Declines: true, Label: "Visa •••• 0341 — saved, but declined when charged"},
}

// TestCardSetup is a card-saving page of the test mode: where the browser
// goes after it, and whether a card was saved on it.
type TestCardSetup struct {
	SessionID   string
	SuccessPath string
	CancelPath  string
	Saved       bool
}

// TestCardSetup returns the user's card-saving page of the test mode; it
// is not found outside test mode or for anyone else.
func (s *Service) TestCardSetup(ctx context.Context, u account.User, sessionID string) (TestCardSetup, error) {
	if _, ok := s.Gateway.(*TestGateway); !ok {
		return TestCardSetup{}, apperr.Errorf(apperr.NotFound, "The test card page is only available in test mode.")
	}
	st := TestCardSetup{SessionID: sessionID}
	err := s.DB.Read().QueryRowContext(ctx, `SELECT success_path, cancel_path, setup_intent_id IS NOT NULL FROM test_card_setups
		WHERE session_id = $1 AND user_id = $2`, sessionID, u.ID).Scan(&st.SuccessPath, &st.CancelPath, &st.Saved)
	if errors.Is(err, sql.ErrNoRows) {
		return TestCardSetup{}, apperr.Errorf(apperr.NotFound, "No such card page.")
	}
	if err != nil {
		return TestCardSetup{}, fmt.Errorf("payment: test card page: %w", err)
	}
	return st, nil
}

// SaveTestCard is the "Save card" button of the test page (WAL-10,
// WAL-12): it saves the test card ending in last4 as the page's
// SetupIntent and delivers the signed checkout.session.completed event of
// mode setup that Stripe would send, through the same verification path.
// Saving on a page twice changes nothing.
func (s *Service) SaveTestCard(ctx context.Context, u account.User, sessionID, last4 string) (TestCardSetup, error) {
	st, err := s.TestCardSetup(ctx, u, sessionID)
	if err != nil || st.Saved {
		return st, err
	}
	var card *TestCard
	for i := range TestCards {
		if TestCards[i].Last4 == last4 {
			card = &TestCards[i]
		}
	}
	if card == nil {
		return st, apperr.Validation(map[string]string{"card": "Choose one of the test cards."})
	}
	seti := testID("seti")
	var customer string
	claimed := false
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE test_card_setups SET setup_intent_id = $1, payment_method_id = $2, card_last4 = $3, declines = $4
			WHERE session_id = $5 AND setup_intent_id IS NULL RETURNING customer_id`,
			seti, testID("pm"), card.Last4, card.Declines, sessionID).Scan(&customer)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // saved by a click a moment ago
		}
		claimed = err == nil
		return err
	})
	if err != nil {
		return st, fmt.Errorf("payment: save test card: %w", err)
	}
	st.Saved = true
	if !claimed {
		return st, nil
	}
	return st, s.deliverTestEvent(ctx, "checkout.session.completed", map[string]any{
		"id": sessionID, "object": "checkout.session", "mode": "setup", "status": "complete", "setup_intent": seti, "customer": customer,
		"metadata": map[string]string{"user_id": strconv.FormatInt(u.ID, 10)}, "livemode": false,
	})
}
