package payout

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// Account is a reader's connected account as SoulSeer last heard of it.
type Account struct {
	UserID           int64
	StripeAccountID  string
	Mode             string
	DetailsSubmitted bool
	PayoutsEnabled   bool
	Requirements     []string
	DisabledReason   string
	UpdatedAt        time.Time
}

// The addresses Stripe's onboarding comes back to.
const (
	PayoutsPath = "/reader/payouts"            // the reader's payout settings
	RefreshPath = "/reader/payouts/onboarding" // makes a fresh onboarding link when one has expired
)

// ConnectedAccount returns the reader's connected account; ok is false
// before they start onboarding.
func (s *Service) ConnectedAccount(ctx context.Context, userID int64) (Account, bool, error) {
	a, err := getAccount(ctx, s.DB.Read(), "user_id = $1", "", userID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Account{}, false, nil
	}
	return a, err == nil, err
}

func getAccount(ctx context.Context, q db.Querier, where, lock string, arg any) (Account, error) {
	var a Account
	var reqs string
	var updated int64
	err := q.QueryRowContext(ctx, `SELECT user_id, stripe_account_id, mode, details_submitted, payouts_enabled, requirements, disabled_reason, updated_at
		FROM payout_accounts WHERE `+where+lock, arg).Scan(&a.UserID, &a.StripeAccountID, &a.Mode, &a.DetailsSubmitted, &a.PayoutsEnabled, &reqs, &a.DisabledReason, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, apperr.Errorf(apperr.NotFound, "No payout account.")
	}
	if err != nil {
		return Account{}, fmt.Errorf("payout: account: %w", err)
	}
	a.Requirements, a.UpdatedAt = strings.Fields(reqs), db.Time(updated)
	return a, nil
}

// Onboard starts or continues a reader's onboarding (EXT-3): it opens their
// Express account on first use and returns a fresh onboarding link (Stripe's
// or, in test mode, the built-in test page). Only readers are paid out.
func (s *Service) Onboard(ctx context.Context, u account.User) (string, error) {
	if u.Role != account.RoleReader {
		return "", apperr.Errorf(apperr.Forbidden, "Only readers are paid out.")
	}
	a, ok, err := s.ConnectedAccount(ctx, u.ID)
	if err != nil {
		return "", err
	}
	if !ok {
		id, err := s.Gateway.CreateAccount(ctx, u.ID, u.Email)
		if err != nil {
			s.Log.Error("connect account creation failed", "user", u.ID, "err", err)
			return "", apperr.Errorf(apperr.Unavailable, "We could not reach the payment provider. Please try again in a moment.")
		}
		if a, err = s.saveAccount(ctx, u.ID, id); err != nil {
			return "", err
		}
	}
	link, err := s.Gateway.OnboardingLink(ctx, a.StripeAccountID, s.BaseURL+RefreshPath, s.BaseURL+PayoutsPath+"?onboarded=1")
	if err != nil {
		s.Log.Error("onboarding link failed", "user", u.ID, "err", err)
		return "", apperr.Errorf(apperr.Unavailable, "We could not reach the payment provider. Please try again in a moment.")
	}
	return link, nil
}

// saveAccount records the reader's new account, audited; when another
// request saved one first, that one stands.
func (s *Service) saveAccount(ctx context.Context, userID int64, accountID string) (Account, error) {
	var a Account
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		r, err := tx.ExecContext(ctx, `INSERT INTO payout_accounts (user_id, stripe_account_id, mode, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
			ON CONFLICT DO NOTHING`, userID, accountID, s.Gateway.Mode(), now)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 1 {
			if err := audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "payout.account_create", Model: "payout_account",
				ObjectID: strconv.FormatInt(userID, 10), Details: map[string]any{"stripe_account_id": accountID, "mode": s.Gateway.Mode()}, At: s.Clock.Now()}); err != nil {
				return err
			}
		}
		a, err = getAccount(ctx, tx, "user_id = $1", "", userID)
		return err
	})
	if err != nil {
		return Account{}, fmt.Errorf("payout: save account: %w", err)
	}
	return a, nil
}

// SyncAccount reads the reader's account from Stripe and keeps what it says
// (as account.updated does), for a reader back from onboarding before the
// webhook arrives.
func (s *Service) SyncAccount(ctx context.Context, userID int64) (Account, error) {
	a, ok, err := s.ConnectedAccount(ctx, userID)
	if err != nil || !ok {
		return a, err
	}
	st, err := s.Gateway.Account(ctx, a.StripeAccountID)
	if err != nil {
		s.Log.Warn("connect account sync failed", "user", userID, "err", err)
		return a, nil
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := s.updateAccount(ctx, tx, st)
		return err
	})
	if err != nil {
		return Account{}, err
	}
	a, _, err = s.ConnectedAccount(ctx, userID)
	return a, err
}

// updateAccount keeps what Stripe says of an account; known is false for
// an account SoulSeer did not open.
func (s *Service) updateAccount(ctx context.Context, tx *db.Tx, st AccountState) (known bool, err error) {
	r, err := tx.ExecContext(ctx, `UPDATE payout_accounts SET details_submitted = $1, payouts_enabled = $2, requirements = $3, disabled_reason = $4, updated_at = $5
		WHERE stripe_account_id = $6`, st.DetailsSubmitted, st.PayoutsEnabled, strings.Join(st.Requirements, " "), st.DisabledReason,
		db.Millis(s.Clock.Now()), st.ID)
	if err != nil {
		return false, fmt.Errorf("payout: update account %s: %w", st.ID, err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

// CompleteTestOnboarding finishes the built-in test onboarding: the
// reader's test account takes payouts from now on. Stripe accounts are
// onboarded at Stripe only.
func (s *Service) CompleteTestOnboarding(ctx context.Context, userID int64) error {
	a, ok, err := s.ConnectedAccount(ctx, userID)
	if err != nil {
		return err
	}
	if !ok || a.Mode != "test" || s.Gateway.Mode() != "test" {
		return apperr.Errorf(apperr.NotFound, "No test-mode onboarding is open for you.")
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := s.updateAccount(ctx, tx, AccountState{ID: a.StripeAccountID, DetailsSubmitted: true, PayoutsEnabled: true}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "payout.account_onboarded", Model: "payout_account",
			ObjectID: strconv.FormatInt(userID, 10), Details: map[string]any{"stripe_account_id": a.StripeAccountID, "mode": "test"}, At: s.Clock.Now()})
	})
}
