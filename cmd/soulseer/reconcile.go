package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

// reconcile compares a month of top-ups in the ledger with the charges at
// Stripe (or the test-mode records) and lists each mismatch (WAL-9). It
// fails when the two sides disagree, so it can run from cron.
func reconcile(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reconcile", flag.ContinueOnError)
	month := fs.String("month", "", "month to reconcile, YYYY-MM")
	split := splitFlags(args, fs)
	if err := fs.Parse(split.own); err != nil {
		return err
	}
	m, err := payment.ParseMonth(*month)
	if err != nil {
		return errors.New("--month must look like 2026-11")
	}
	a, err := openApp(ctx, split.config, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	rec, err := a.Payments.Reconcile(ctx, m)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Reconciliation of %s (%s)\n", rec.Month.Format("January 2006"), a.Payments.Gateway.Mode())
	fmt.Fprintf(stdout, "  ledger top-ups  %4d  %14s\n", rec.LedgerCount, ledger.FormatCents(rec.LedgerCents))
	fmt.Fprintf(stdout, "  Stripe charges  %4d  %14s\n", rec.StripeCount, ledger.FormatCents(rec.StripeCents))
	for _, mm := range rec.Mismatches {
		fmt.Fprintf(stdout, "  MISMATCH  top-up %d  %s  ledger %s  stripe %s  %s\n", mm.TopUpID, mm.PaymentIntentID,
			ledger.FormatCents(mm.LedgerCents), ledger.FormatCents(mm.StripeCents), mm.Problem)
	}
	if !rec.OK() {
		return fmt.Errorf("%d mismatches", len(rec.Mismatches))
	}
	fmt.Fprintln(stdout, "  balanced")
	return nil
}
