package payment

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
)

// Mismatch is one disagreement between the ledger and Stripe.
type Mismatch struct {
	PaymentIntentID string
	TopUpID         int64
	StripeEventID   string
	LedgerCents     int64 // top-up credited in the ledger (0 if none)
	StripeCents     int64 // charged at Stripe (0 if none)
	Problem         string
}

// Reconciliation compares a month of top-ups with Stripe's charges (WAL-9).
type Reconciliation struct {
	Month       time.Time
	LedgerCount int
	LedgerCents int64
	StripeCount int
	StripeCents int64
	Mismatches  []Mismatch
}

// OK reports whether both sides agree entirely.
func (r Reconciliation) OK() bool { return len(r.Mismatches) == 0 && r.LedgerCents == r.StripeCents }

// ParseMonth reads "YYYY-MM" as the first instant of that month in UTC.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, apperr.Validation(map[string]string{"month": "Use the form YYYY-MM, e.g. 2026-11."})
	}
	return t.UTC(), nil
}

// Reconcile lists, for the month starting at month, every top-up credited in
// the ledger and every charge at Stripe, matched by payment intent, and each
// mismatch: credited but not charged, charged but not credited, or
// different amounts.
func (s *Service) Reconcile(ctx context.Context, month time.Time) (Reconciliation, error) {
	from := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	rec := Reconciliation{Month: from}
	entries, err := s.Ledger.Entries(ctx, ledger.StripeClearing(), ledger.EntryFilter{Types: []ledger.EntryType{ledger.TypeTopUp}, From: from, To: to, Limit: 1_000_000})
	if err != nil {
		return rec, err
	}
	type side struct {
		cents   int64
		topup   int64
		eventID string
	}
	ours := map[string]*side{}
	for _, e := range entries {
		topupID, _ := strconv.ParseInt(e.CauseID, 10, 64)
		t, err := getTopUp(ctx, s.DB.Read(), "id = $1", "", topupID)
		if err != nil {
			rec.Mismatches = append(rec.Mismatches, Mismatch{TopUpID: topupID, StripeEventID: e.StripeEventID, LedgerCents: -e.Amount,
				Problem: "ledger top-up has no top-up record"})
			continue
		}
		rec.LedgerCount++
		rec.LedgerCents += -e.Amount
		ours[t.PaymentIntentID] = &side{cents: -e.Amount, topup: t.ID, eventID: e.StripeEventID}
	}
	charges, err := s.Gateway.Charges(ctx, from, to)
	if err != nil {
		return rec, fmt.Errorf("payment: reconcile: %w", err)
	}
	seen := map[string]bool{}
	for _, c := range charges {
		rec.StripeCount++
		rec.StripeCents += c.AmountCents
		seen[c.PaymentIntentID] = true
		o := ours[c.PaymentIntentID]
		switch {
		case o == nil:
			rec.Mismatches = append(rec.Mismatches, Mismatch{PaymentIntentID: c.PaymentIntentID, StripeCents: c.AmountCents,
				Problem: "charged at Stripe (" + c.ID + ") but not credited in the ledger"})
		case o.cents != c.AmountCents:
			rec.Mismatches = append(rec.Mismatches, Mismatch{PaymentIntentID: c.PaymentIntentID, TopUpID: o.topup, StripeEventID: o.eventID,
				LedgerCents: o.cents, StripeCents: c.AmountCents, Problem: "amounts differ"})
		}
	}
	for pi, o := range ours {
		if !seen[pi] {
			rec.Mismatches = append(rec.Mismatches, Mismatch{PaymentIntentID: pi, TopUpID: o.topup, StripeEventID: o.eventID,
				LedgerCents: o.cents, Problem: "credited in the ledger but no Stripe charge this month"})
		}
	}
	sort.Slice(rec.Mismatches, func(i, j int) bool { return rec.Mismatches[i].TopUpID < rec.Mismatches[j].TopUpID })
	return rec, nil
}
