package crashtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payout"
)

const (
	payoutKills   = 12
	payoutReaders = 16
	payoutCents   = 100  // each admin payout in the workload
	roundEarnings = 3000 // what each reader earns before each round
	minPayouts    = 60   // paid payouts a run must reach for its checks to mean anything
)

// EXT-3 SEC-4 OPS-3: the real binary, in test mode, is killed with SIGKILL
// at random moments while admins pay readers out (and the periodic job
// pays whoever is due); after the restarts every payout was transferred
// at most once (one test-mode transfer per paid payout, none for any
// other), none is left pending, every cent a reader earned is either paid
// out or back in their earnings, and `soulseer ledger verify` passes.
func TestPayoutsSurviveKills(t *testing.T) {
	bin := Build(t)
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dbURL, dir := dbtest.URL(t, e)
			env := []string{"DATABASE_URL=" + dbURL, "SOULSEER_DATA_DIR=" + dir, "SOULSEER_AUTH_RATE_LIMIT=100000/1m", "SOULSEER_LOG_LEVEL=error",
				"SOULSEER_PAYOUT_MIN_CENTS=" + strconv.Itoa(payoutCents), "SOULSEER_PAYOUT_SCHEDULE=daily"}
			ctx := context.Background()
			if out, err := Run(ctx, bin, env, "user", "create", "--email", "admin@crash.test", "--password", "crash-test-pw", "--role", "admin"); err != nil {
				t.Fatalf("create admin: %v\n%s", err, out)
			}
			for i := range payoutReaders {
				if out, err := Run(ctx, bin, env, "user", "create", "--email", fmt.Sprintf("r%d@crash.test", i), "--password", "crash-test-pw", "--role", "reader"); err != nil {
					t.Fatalf("create reader: %v\n%s", err, out)
				}
			}
			p := Start(t, bin, env)
			// The admin's session lasts through every restart below.
			admin := login(t, p.URL, "admin@crash.test")
			enrolTwoFactor(t, p.URL, admin)
			var readers []int64
			for i := range payoutReaders {
				rdr := login(t, p.URL, fmt.Sprintf("r%d@crash.test", i))
				enrolTwoFactor(t, p.URL, rdr)
				_, me := rdr.Do("GET", p.URL+"/api/v1/me", nil)
				readers = append(readers, jsonID(t, me))
				mustStatus(t, 200, func() (int, []byte) { return rdr.Do("POST", p.URL+"/api/v1/me/payouts/onboarding", nil) })
				mustStatus(t, 303, func() (int, []byte) {
					return rdr.Do("POST", p.URL+payout.TestOnboardingPath, []byte{}, "Content-Type", "application/x-www-form-urlencoded")
				})
			}
			p.Kill()
			d, err := db.Open(ctx, dbURL, dir, 4)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			l := &ledger.Ledger{DB: d}
			earned := map[int64]int64{}

			var answers, paidAnswers atomic.Int64
			for kill := range payoutKills {
				for _, r := range readers {
					if _, err := l.Transfer(ctx, ledger.Transfer{Key: fmt.Sprintf("crash-earn:%d:%d", kill, r), Type: ledger.TypeReadingCharge,
						Postings: []ledger.Posting{{Account: ledger.Adjustments(), Amount: -roundEarnings}, {Account: ledger.Earnings(r), Amount: roundEarnings}}}); err != nil {
						t.Fatal(err)
					}
					earned[r] += roundEarnings
				}
				p = Start(t, bin, env)
				stop := make(chan struct{})
				var wg sync.WaitGroup
				for w := range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							select {
							case <-stop:
								return
							default:
							}
							body := map[string]int64{"reader_id": readers[rand.IntN(len(readers))], "amount_cents": payoutCents}
							if w == 0 && rand.IntN(10) == 0 {
								body = map[string]int64{} // everyone due
							}
							st, _ := admin.Do("POST", p.URL+"/api/v1/admin/payouts/run", body)
							if st != 0 {
								answers.Add(1)
							}
							if st == 200 {
								paidAnswers.Add(1)
							}
						}
					}()
				}
				// Kill after a random number of answers: a reader whose payout a
				// kill leaves pending is refused until it is sent again, so a
				// round's answers are mostly payouts of the others.
				waitForAnswers(&answers, answers.Load()+int64(10+rand.IntN(31)), 30*time.Second)
				time.Sleep(time.Duration(rand.IntN(30)) * time.Millisecond)
				p.Kill()
				close(stop)
				wg.Wait()
				t.Logf("kill %d: %d answers, %d payouts acknowledged", kill+1, answers.Load(), paidAnswers.Load())
			}

			// A last start: runs send every payout a crash left pending
			// again, with its own idempotency key, once it is older than
			// payout.RetryAfter.
			p = Start(t, bin, env)
			deadline := time.Now().Add(payout.RetryAfter + 30*time.Second)
			for pending(t, d) > 0 {
				if time.Now().After(deadline) {
					t.Fatalf("%d payouts still pending", pending(t, d))
				}
				time.Sleep(time.Second)
				mustStatus(t, 200, func() (int, []byte) { return admin.Do("POST", p.URL+"/api/v1/admin/payouts/run", map[string]any{}) })
			}
			p.Stop(t)

			checkPayouts(t, d, l, readers, earned)
			out, err := Run(ctx, bin, env, "ledger", "verify")
			if err != nil {
				t.Fatalf("soulseer ledger verify failed: %v\n%s", err, out)
			}
			t.Logf("%d requests answered, %d payouts acknowledged; ledger verify:\n%s", answers.Load(), paidAnswers.Load(), out)
		})
	}
}

func pending(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM payouts WHERE state = 'pending'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkPayouts holds the payouts to the test-mode transfers and the
// ledger: each paid payout has exactly one transfer of its amount under
// its key and no other payout has any; every reader's earnings plus what
// was paid out is what they earned; the payouts account holds what was
// paid; and enough payouts were made for that to mean something.
func checkPayouts(t *testing.T, d *db.DB, l *ledger.Ledger, readers []int64, earned map[int64]int64) {
	ctx := context.Background()
	rows, err := d.Read().QueryContext(ctx, `SELECT p.id, p.user_id, p.amount_cents, p.state, COUNT(tt.id), COALESCE(SUM(tt.amount_cents), 0)
		FROM payouts p LEFT JOIN test_transfers tt ON tt.idempotency_key = 'soulseer-payout-' || CAST(p.id AS TEXT)
		GROUP BY p.id, p.user_id, p.amount_cents, p.state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	paidTo := map[int64]int64{}
	var paid, total int64
	for rows.Next() {
		var id, user, amount, transfers, transferred int64
		var state string
		if err := rows.Scan(&id, &user, &amount, &state, &transfers, &transferred); err != nil {
			t.Fatal(err)
		}
		switch {
		case state == payout.Paid && (transfers != 1 || transferred != amount):
			t.Errorf("paid payout %d of %d: %d transfers of %d in all", id, amount, transfers, transferred)
		case state != payout.Paid && transfers != 0:
			t.Errorf("%s payout %d has %d transfers", state, id, transfers)
		}
		if state == payout.Paid {
			paid++
			paidTo[user] += amount
			total += amount
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var transfers, payoutsTotal int64
	if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM test_transfers`).Scan(&transfers); err != nil {
		t.Fatal(err)
	}
	if transfers != paid {
		t.Errorf("%d test-mode transfers for %d paid payouts", transfers, paid)
	}
	for _, r := range readers {
		got, err := l.Balance(ctx, d.Read(), ledger.Earnings(r))
		if err != nil {
			t.Fatal(err)
		}
		if got+paidTo[r] != earned[r] {
			t.Errorf("reader %d: earnings %d + paid out %d ≠ earned %d", r, got, paidTo[r], earned[r])
		}
	}
	if payoutsTotal, err = l.Balance(ctx, d.Read(), ledger.Payouts()); err != nil || payoutsTotal != total {
		t.Errorf("payouts account %d, want the %d paid (%v)", payoutsTotal, total, err)
	}
	t.Logf("%d payouts paid, %s in all", paid, ledger.FormatCents(total))
	if paid < minPayouts {
		t.Fatalf("the workload did not run: %d payouts paid, want ≥ %d", paid, minPayouts)
	}
}
