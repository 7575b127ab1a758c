package persona_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/persona"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

const (
	period = time.Minute
	rate   = 100
)

// RDR-3, OD-4, OD-5, OD-9: an automated demo reader shows online while the
// worker runs, lets a request wait a moment, accepts it, says its script
// once however many instances play it, and ends after persona.Minutes
// billed minutes, charged like any reading. A real reader's request is
// never touched.
func TestPersonaPlaysAReading(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clk := clock.NewFake(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
			s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithManualSweeps(), apptest.WithConfig(func(c *config.Config) {
				c.BillingPeriod, c.PresenceTimeout = period, 20*time.Second
			}))
			admin := s.CreateUser("admin@example.com", account.RoleAdmin)
			client := s.CreateUser("client@example.com", account.RoleClient)
			if _, err := s.App.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: client.ID, AmountCents: 50_00, Reason: "test funds"}); err != nil {
				t.Fatal(err)
			}
			bot := newReader(t, s, admin, "bot@example.com", true)
			human := newReader(t, s, admin, "human@example.com", false)
			// Two instances play the personas at once.
			workers := []*persona.Worker{s.App.Personas, {DB: s.App.DB, Clock: clk, Readings: s.App.Readings, Log: s.App.Personas.Log}}
			step := func() {
				t.Helper()
				var wg sync.WaitGroup
				errs := make([]error, len(workers))
				for i, w := range workers {
					wg.Go(func() { errs[i] = w.Step(ctx) })
				}
				wg.Wait()
				for _, err := range errs {
					if err != nil {
						t.Fatalf("step: %v", err)
					}
				}
				if _, err := s.App.Readings.Sweep(ctx); err != nil {
					t.Fatalf("sweep: %v", err)
				}
			}

			if p := profile(t, s, bot.ID); p.Status != reader.Offline {
				t.Fatalf("before the worker runs the persona shows %s, want offline", p.Status)
			}
			step()
			if p := profile(t, s, bot.ID); p.Status != reader.Online || !p.Automated {
				t.Fatalf("with the worker running the persona shows %s (automated %v), want online and labelled", p.Status, p.Automated)
			}

			rd, err := s.App.Readings.Request(ctx, client, bot.ID, reader.Text)
			if err != nil {
				t.Fatal(err)
			}
			otherClient := s.CreateUser("other@example.com", account.RoleClient)
			if _, err := s.App.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: otherClient.ID, AmountCents: 50_00, Reason: "test funds"}); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.App.Presence.Connect(ctx, human.ID, 0))
			toHuman, err := s.App.Readings.Request(ctx, otherClient, human.ID, reader.Text)
			if err != nil {
				t.Fatal(err)
			}
			clk.Advance(persona.AcceptAfter / 2)
			step()
			if got := get(t, s, client, rd.ID); got.State != reading.Waiting {
				t.Fatalf("after %s the request is %s, want still waiting", persona.AcceptAfter/2, got.State)
			}
			clk.Advance(persona.AcceptAfter / 2)
			step()
			if got := get(t, s, client, rd.ID); got.State != reading.Active {
				t.Fatalf("after %s the request is %s, want accepted", persona.AcceptAfter, got.State)
			}
			if got := get(t, s, otherClient, toHuman.ID); got.State != reading.Waiting {
				t.Fatalf("a real reader's request is %s, want left waiting for them", got.State)
			}

			length := persona.Length(period)
			for elapsed := time.Duration(0); elapsed <= length+10*time.Second; elapsed += 10 * time.Second {
				s.App.Readings.Seen(ctx, rd.ID, client.ID) // the client's page is open
				clk.Advance(10 * time.Second)
				step()
			}
			got := get(t, s, client, rd.ID)
			if got.State.Open() || got.BilledMinutes != persona.Minutes || got.TotalCents != persona.Minutes*rate {
				t.Fatalf("the persona's reading ended as %s with %d minutes for %d cents, want ended after %d minutes for %d",
					got.State, got.BilledMinutes, got.TotalCents, persona.Minutes, persona.Minutes*rate)
			}
			if bal := balance(t, s, ledger.Wallet(client.ID)); bal != 50_00-persona.Minutes*rate {
				t.Fatalf("client's wallet holds %d, want %d: the reading is charged like any other", bal, 50_00-persona.Minutes*rate)
			}
			msgs, err := s.App.Readings.Transcript(ctx, client, rd.ID)
			if err != nil {
				t.Fatal(err)
			}
			lines := map[string]int{}
			for _, m := range msgs {
				if m.SenderID == bot.ID {
					lines[m.Body]++
				}
			}
			if len(lines) < 5 {
				t.Fatalf("the persona said %d distinct lines, want its script (%v)", len(lines), lines)
			}
			for line, n := range lines {
				if n != 1 {
					t.Errorf("the persona said %q %d times, want once", line, n)
				}
			}
		})
	}
}

// newReader creates a verified, online reader of text at rate; automated
// ones are demo personas, as only the demo loader makes them.
func newReader(t *testing.T, s *apptest.Server, admin account.User, email string, automated bool) account.User {
	t.Helper()
	ctx := context.Background()
	u := s.CreateUser(email, account.RoleReader)
	price := int64(rate)
	if _, err := s.App.Readers.UpdateProfile(ctx, u.ID, reader.ProfileInput{DisplayName: "Reader " + email, Rates: reader.RatesInput{Text: &price}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Readers.SetVerified(ctx, admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Readers.SetStatus(ctx, u.ID, reader.Online); err != nil {
		t.Fatal(err)
	}
	if err := s.App.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET automated = $1 WHERE user_id = $2`, automated, u.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return u
}

func profile(t *testing.T, s *apptest.Server, id int64) reader.Profile {
	t.Helper()
	p, err := s.App.Readers.Get(context.Background(), account.User{}, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func get(t *testing.T, s *apptest.Server, u account.User, id int64) reading.Reading {
	t.Helper()
	r, err := s.App.Readings.Get(context.Background(), u, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func balance(t *testing.T, s *apptest.Server, r ledger.Ref) int64 {
	t.Helper()
	b, err := s.App.Ledger.Balance(context.Background(), s.App.DB.Read(), r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
