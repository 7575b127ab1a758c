package crashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

const (
	crashSecret = "whsec_crash_test_secret"
	crashKills  = 20
	minSpends   = 50 // applied debits a run must reach for its checks to mean anything
)

// outcome of one operation as the client saw it.
type outcome int

const (
	unknown outcome = iota // no answer: the process died mid-request
	applied                // acknowledged as done
	refused                // acknowledged as refused (e.g. insufficient funds)
)

// WAL-5 WAL-1 OPS-3: the real binary is killed with SIGKILL at random
// moments while webhooks credit top-ups and admins debit wallets; after
// restarts no acknowledged credit or debit is lost, none is applied twice,
// every top-up's status agrees with the ledger, and `soulseer ledger verify`
// passes.
func TestWalletSurvivesKills(t *testing.T) {
	bin := Build(t)
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dbURL, dir := dbtest.URL(t, e)
			env := []string{"DATABASE_URL=" + dbURL, "SOULSEER_DATA_DIR=" + dir, "SOULSEER_STRIPE_WEBHOOK_SECRET=" + crashSecret,
				"SOULSEER_AUTH_RATE_LIMIT=100000/1m", "SOULSEER_LOG_LEVEL=error"}
			ctx := context.Background()
			if out, err := Run(ctx, bin, env, "user", "create", "--email", "admin@crash.test", "--password", "crash-test-pw", "--role", "admin"); err != nil {
				t.Fatalf("create admin: %v\n%s", err, out)
			}
			p := Start(t, bin, env)
			admin := NewClient(t)
			if st, b := admin.Do("POST", p.URL+"/api/v1/auth/login", map[string]string{"email": "admin@crash.test", "password": "crash-test-pw"}); st != 200 {
				t.Fatalf("admin login: %d %s", st, b)
			}
			enrolTwoFactor(t, p.URL, admin)
			var adminID int64
			_, me := admin.Do("GET", p.URL+"/api/v1/me", nil)
			adminID = jsonID(t, me)

			var topups []topup
			var clients []int64
			for i := range 4 {
				c := NewClient(t)
				st, b := c.Do("POST", p.URL+"/api/v1/auth/signup", map[string]string{"email": fmt.Sprintf("c%d@crash.test", i), "password": "crash-test-pw", "display_name": "Client"})
				if st != 201 {
					t.Fatalf("signup: %d %s", st, b)
				}
				uid := jsonID(t, b)
				clients = append(clients, uid)
				for range 15 {
					st, b := c.Do("POST", p.URL+"/api/v1/wallet/topups", map[string]int64{"amount_cents": 1000})
					if st != 201 {
						t.Fatalf("top-up: %d %s", st, b)
					}
					var out struct {
						ID      int64  `json:"id"`
						Session string `json:"checkout_session_id"`
					}
					_ = json.Unmarshal(b, &out)
					topups = append(topups, topup{out.ID, out.Session, uid})
				}
			}
			p.Kill()

			var mu sync.Mutex
			webhooks := map[int64]outcome{} // top-up id → best outcome seen
			spends := map[string]outcome{}  // idempotency key → outcome
			spendUser := map[string]int64{}
			spendSeq := 0
			var answers atomic.Int64 // requests answered with their outcome, over all rounds
			record := func(m map[int64]outcome, k int64, o outcome) {
				if o > m[k] {
					m[k] = o
				}
			}
			for kill := range crashKills {
				p = Start(t, bin, env)
				stop := make(chan struct{})
				var wg sync.WaitGroup
				for range 4 { // webhook senders
					wg.Add(1)
					go func() {
						defer wg.Done()
						c := NewClient(t)
						for {
							select {
							case <-stop:
								return
							default:
							}
							tu := topups[rand.IntN(len(topups))]
							payload := checkoutCompleted(tu.id, tu.session)
							sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: crashSecret}).Header
							st, _ := c.Do("POST", p.URL+"/stripe/webhook/", payload, "Stripe-Signature", sig)
							mu.Lock()
							if st == 200 {
								answers.Add(1)
								record(webhooks, tu.id, applied)
							} else if _, seen := webhooks[tu.id]; !seen {
								webhooks[tu.id] = unknown
							}
							mu.Unlock()
						}
					}()
				}
				for range 2 { // spenders: admin debits of 1.00
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							select {
							case <-stop:
								return
							default:
							}
							mu.Lock()
							spendSeq++
							key := "spend-" + strconv.Itoa(spendSeq)
							user := clients[rand.IntN(len(clients))]
							spendUser[key] = user
							spends[key] = unknown
							mu.Unlock()
							st, _ := admin.Do("POST", p.URL+"/api/v1/admin/adjustments", map[string]any{"user_id": user, "amount_cents": -100,
								"reason": "crash test spend", "idempotency_key": key})
							mu.Lock()
							switch st {
							case 200, 201:
								answers.Add(1)
								spends[key] = applied
							case 402:
								answers.Add(1)
								spends[key] = refused
							}
							mu.Unlock()
						}
					}()
				}
				// Kill after a random number of answers in this round, not
				// after a fixed time: a slow machine then does as much work
				// between kills as a fast one, and the kill still lands with
				// requests in flight.
				waitForAnswers(&answers, answers.Load()+int64(5+rand.IntN(26)), 30*time.Second)
				time.Sleep(time.Duration(rand.IntN(50)) * time.Millisecond)
				p.Kill()
				close(stop)
				wg.Wait()
				t.Logf("kill %d: %d top-ups touched, %d spends sent", kill+1, len(webhooks), spendSeq)
			}

			// Restart once more and replay every acknowledged webhook: each
			// must be recognised as already done.
			p = Start(t, bin, env)
			wallets := map[int64]int64{}
			d, err := db.Open(ctx, dbURL, dir, 4)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			l := &ledger.Ledger{DB: d}
			for _, u := range clients {
				wallets[u], _ = l.Balance(ctx, d.Read(), ledger.Wallet(u))
			}
			c := NewClient(t)
			for id, o := range webhooks {
				if o != applied {
					continue
				}
				tu := topupByID(topups, id)
				payload := checkoutCompleted(tu.id, tu.session)
				sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: crashSecret}).Header
				if st, b := c.Do("POST", p.URL+"/stripe/webhook/", payload, "Stripe-Signature", sig); st != 200 {
					t.Fatalf("replay of top-up %d: %d %s", id, st, b)
				}
			}
			p.Stop(t)
			for _, u := range clients {
				if got, _ := l.Balance(ctx, d.Read(), ledger.Wallet(u)); got != wallets[u] {
					t.Errorf("replaying acknowledged webhooks changed wallet %d from %d to %d", u, wallets[u], got)
				}
			}

			// Every acknowledged credit and debit is in the ledger exactly as
			// acknowledged, and each wallet equals its credits minus debits.
			credited := map[int64]int64{}
			for _, tu := range topups {
				var status string
				if err := d.Read().QueryRowContext(ctx, `SELECT status FROM topups WHERE id = $1`, tu.id).Scan(&status); err != nil {
					t.Fatal(err)
				}
				_, terr := l.TransferByKey(ctx, d.Read(), "topup:"+strconv.FormatInt(tu.id, 10))
				inLedger := terr == nil
				if terr != nil && apperr.CodeOf(terr) != apperr.NotFound {
					t.Fatal(terr)
				}
				if inLedger != (status == "paid") {
					t.Errorf("top-up %d: status %s but in ledger = %v", tu.id, status, inLedger)
				}
				if webhooks[tu.id] == applied && !inLedger {
					t.Errorf("acknowledged webhook for top-up %d was lost", tu.id)
				}
				if inLedger {
					credited[tu.user] += 1000
				}
			}
			debited := map[int64]int64{}
			for key, o := range spends {
				_, terr := l.TransferByKey(ctx, d.Read(), fmt.Sprintf("adjustment:%d:%s", adminID, key))
				inLedger := terr == nil
				switch {
				case o == applied && !inLedger:
					t.Errorf("acknowledged spend %s was lost", key)
				case o == refused && inLedger:
					t.Errorf("refused spend %s was applied", key)
				}
				if inLedger {
					debited[spendUser[key]] += 100
				}
			}
			for _, u := range clients {
				got, _ := l.Balance(ctx, d.Read(), ledger.Wallet(u))
				if want := credited[u] - debited[u]; got != want {
					t.Errorf("wallet %d = %d, want credits %d − debits %d = %d", u, got, credited[u], debited[u], want)
				}
			}
			out, err := Run(ctx, bin, env, "ledger", "verify")
			if err != nil {
				t.Fatalf("soulseer ledger verify failed: %v\n%s", err, out)
			}
			// The checks above prove something only if the workload ran:
			// most top-ups credited through acknowledged webhooks, and many
			// debits applied (and some refused) between the kills.
			acked, spent, refusedSpends := countApplied(webhooks), 0, 0
			for _, o := range spends {
				switch o {
				case applied:
					spent++
				case refused:
					refusedSpends++
				}
			}
			t.Logf("%d acknowledged webhooks, %d spends applied, %d refused, %d unanswered; ledger verify:\n%s",
				acked, spent, refusedSpends, len(spends)-spent-refusedSpends, out)
			if acked < len(topups)/2 || spent < minSpends {
				t.Fatalf("the workload did not run: %d of %d top-ups acknowledged (want ≥ %d), %d spends applied (want ≥ %d)",
					acked, len(topups), len(topups)/2, spent, minSpends)
			}
		})
	}
}

// waitForAnswers waits until n has reached target, or for at most limit.
func waitForAnswers(n *atomic.Int64, target int64, limit time.Duration) {
	for deadline := time.Now().Add(limit); n.Load() < target && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
}

func countApplied(m map[int64]outcome) int {
	n := 0
	for _, o := range m {
		if o == applied {
			n++
		}
	}
	return n
}

func jsonID(t *testing.T, b []byte) int64 {
	t.Helper()
	var v struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(b, &v); err != nil || v.ID == 0 {
		t.Fatalf("no id in %s", b)
	}
	return v.ID
}

func checkoutCompleted(topupID int64, session string) []byte {
	b, _ := json.Marshal(map[string]any{"id": "evt_crash_" + strconv.FormatInt(topupID, 10), "object": "event",
		"type": "checkout.session.completed", "created": time.Now().Unix(), "api_version": "2025-01-01",
		"data": map[string]any{"object": map[string]any{"id": session, "object": "checkout.session", "amount_total": 1000,
			"currency": "usd", "payment_status": "paid", "payment_intent": "pi_crash_" + strconv.FormatInt(topupID, 10)}}})
	return b
}

// topup is a pending top-up the test pays through webhooks.
type topup struct {
	id      int64
	session string
	user    int64
}

func topupByID(list []topup, id int64) topup {
	for _, t := range list {
		if t.id == id {
			return t
		}
	}
	return topup{}
}
