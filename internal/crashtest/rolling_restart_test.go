package crashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

const (
	// restartRounds is how many times each of the two instances restarts.
	restartRounds = 3
	// restartReason is the reason a stopping server gives when it closes a
	// live connection with 1001.
	restartReason = "server is restarting; reconnect"
	// funds is what the client's wallet is credited before the reading.
	funds = 100000
)

// OPS-3 OD-5: a rolling restart of two instances of the real binary on one
// PostgreSQL database, behind one address, while a reading is billed every
// (1-second) minute and both parties hold live connections — each to their
// own events and to the reading: each instance in turn is stopped with
// SIGTERM and started again, three times each. Every stop exits 0 within
// StopTimeout; every live connection the stopping instance held is closed
// with 1001 "server is restarting; reconnect" (never dropped bare) and
// reconnects through the same address to the other instance, where the
// reading room's first message shows the reading still active; the reading
// never pauses or ends; and every started minute is charged exactly once —
// minute keys contiguous from 0, billed_minutes and the client's wallet
// agreeing, as many minutes as its active time started — and `soulseer
// ledger verify` passes. SQLite serves from one instance, so it is skipped.
func TestRollingRestart(t *testing.T) {
	bin := Build(t)
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			if e == db.SQLite {
				t.Skip("SQLite serves from one instance; a rolling restart needs two on PostgreSQL")
			}
			dbURL, dir := dbtest.URL(t, e)
			addrs := []string{freeAddr(t), freeAddr(t)}
			proxy := NewProxy(t, addrs...)
			base := proxy.URL
			env := []string{"DATABASE_URL=" + dbURL, "SOULSEER_DATA_DIR=" + dir, "SOULSEER_BASE_URL=" + base,
				"SOULSEER_AUTH_RATE_LIMIT=100000/1m", "SOULSEER_LOG_LEVEL=warn", "SOULSEER_BILLING_PERIOD=" + billPeriod.String()}
			ctx := context.Background()
			for _, role := range []string{"admin", "reader"} {
				if out, err := Run(ctx, bin, env, "user", "create", "--email", role+"@crash.test", "--password", "crash-test-pw", "--role", role); err != nil {
					t.Fatalf("create %s: %v\n%s", role, err, out)
				}
			}
			// Only A runs while the pages connect, so every restart, A's
			// first included, closes all of them.
			procs := []*Proc{StartAt(t, bin, addrs[0], env)}
			id, clientID, lives := startReading(t, base)
			procs = append(procs, StartAt(t, bin, addrs[1], env))

			d, err := db.Open(ctx, dbURL, dir, 2)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			billed := func() int64 {
				var n int64
				if err := d.Read().QueryRowContext(ctx, `SELECT billed_minutes FROM readings WHERE id = $1`, id).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			restarts := 0
			for round := range restartRounds {
				for i, p := range procs {
					before := make([]int, len(lives))
					for j, l := range lives {
						before[j], _ = l.Connects()
					}
					minutes := billed()
					began := time.Now()
					p.Stop(t)
					stoppedIn := time.Since(began)
					waitUntil(t, "every page to reconnect to the other instance", func() bool {
						for j, l := range lives {
							if n, open := l.Connects(); n <= before[j] || !open {
								return false
							}
						}
						return true
					})
					backIn := time.Since(began) - stoppedIn
					p.Restart(t)
					waitUntil(t, "the next minute to be charged", func() bool { return billed() > minutes })
					restarts++
					t.Logf("round %d, instance %c: stopped in %s, pages reconnected %s later; %d minutes billed",
						round+1, 'A'+i, stoppedIn.Round(time.Millisecond), backIn.Round(time.Millisecond), billed())
				}
			}
			stopping := time.Now()
			for _, p := range procs {
				p.Stop(t)
			}
			stopped := time.Now()

			for j, l := range lives {
				closes := l.Closes()
				if len(closes) < restarts {
					t.Errorf("live connection %d was closed %d times in %d restarts", j, len(closes), restarts)
				}
				want := Closed{Status: websocket.StatusGoingAway, Reason: restartReason}
				if i := slices.IndexFunc(closes, func(c Closed) bool { return c != want }); i >= 0 {
					t.Errorf("live connection %d: close %d of %d was %d %q, want %d %q", j, i+1, len(closes), closes[i].Status, closes[i].Reason, want.Status, want.Reason)
				}
			}
			for _, l := range lives[2:] {
				checkGreetings(t, l)
			}
			var events []string
			rows, err := d.Read().QueryContext(ctx, `SELECT event FROM reading_transitions WHERE reading_id = $1 ORDER BY id`, id)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var ev string
				if err := rows.Scan(&ev); err != nil {
					t.Fatal(err)
				}
				events = append(events, ev)
			}
			rows.Close()
			if !slices.Equal(events, []string{"submit", "accept"}) {
				t.Errorf("reading went through %v, want [submit accept]: the restarts paused or ended it", events)
			}
			checkReadingCharges(t, d, id, stopping, stopped)
			wallets, err := (&ledger.Ledger{DB: d}).WalletBalances(ctx, d.Read(), []int64{clientID})
			if err != nil {
				t.Fatal(err)
			}
			if n := billed(); wallets[clientID] != funds-n*billRate {
				t.Errorf("client's wallet holds %d after %d minutes at %d from %d", wallets[clientID], n, billRate, funds)
			}
			if out, err := Run(ctx, bin, env, "ledger", "verify"); err != nil {
				t.Fatalf("soulseer ledger verify failed: %v\n%s", err, out)
			}
		})
	}
}

// startReading has a verified reader accept a text reading from a funded
// client, through base, and opens the pages' live connections: the reader's
// and the client's own events, then each one's reading room. It returns the
// reading, the client and the connections in that order once all are open.
func startReading(t *testing.T, base string) (readingID, clientID int64, lives []*Live) {
	t.Helper()
	admin, rdr := login(t, base, "admin@crash.test"), login(t, base, "reader@crash.test")
	enrolTwoFactor(t, base, admin)
	_, me := rdr.Do("GET", base+"/api/v1/me", nil)
	readerID := jsonID(t, me)
	mustStatus(t, 200, func() (int, []byte) {
		return admin.Do("POST", fmt.Sprintf("%s/api/v1/admin/readers/%d/verify", base, readerID), nil)
	})
	mustStatus(t, 200, func() (int, []byte) {
		return rdr.Do("PUT", base+"/api/v1/me/reader-profile", map[string]any{"display_name": "Reader", "rates": map[string]int{"text": billRate}})
	})
	mustStatus(t, 200, func() (int, []byte) {
		return rdr.Do("POST", base+"/api/v1/me/presence", map[string]string{"status": "online"})
	})
	lives = append(lives, OpenLive(t, base, "/api/v1/ws", rdr.Header(base)))
	waitOpen(t, lives)
	cl := NewClient(t)
	st, b := cl.Do("POST", base+"/api/v1/auth/signup", map[string]string{"email": "client@crash.test", "password": "crash-test-pw", "display_name": "Client"})
	if st != 201 {
		t.Fatalf("signup: %d %s", st, b)
	}
	clientID = jsonID(t, b)
	mustStatus(t, 201, func() (int, []byte) {
		return admin.Do("POST", base+"/api/v1/admin/adjustments", map[string]any{"user_id": clientID, "amount_cents": funds, "reason": "rolling restart funds"})
	})
	st, b = cl.Do("POST", base+"/api/v1/readings", map[string]any{"reader_id": readerID, "modality": "text"})
	if st != 201 {
		t.Fatalf("request reading: %d %s", st, b)
	}
	readingID = jsonID(t, b)
	mustStatus(t, 200, func() (int, []byte) {
		return rdr.Do("POST", fmt.Sprintf("%s/api/v1/readings/%d/accept", base, readingID), nil)
	})
	room := fmt.Sprintf("/api/v1/readings/%d/ws", readingID)
	lives = append(lives, OpenLive(t, base, "/api/v1/ws", cl.Header(base)),
		OpenLive(t, base, room, rdr.Header(base)), OpenLive(t, base, room, cl.Header(base)))
	waitOpen(t, lives)
	return readingID, clientID, lives
}

// waitOpen waits until every one of lives has a connection open.
func waitOpen(t *testing.T, lives []*Live) {
	t.Helper()
	waitUntil(t, "the live connections to open", func() bool {
		for _, l := range lives {
			if _, open := l.Connects(); !open {
				return false
			}
		}
		return true
	})
}

// checkGreetings checks that every connection of a reading room began with
// the reading's current state, and that it was active.
func checkGreetings(t *testing.T, l *Live) {
	t.Helper()
	firsts := l.Firsts()
	if n, _ := l.Connects(); len(firsts) != n {
		t.Errorf("%d of %d reading room connections were greeted", len(firsts), n)
	}
	for _, b := range firsts {
		var m struct {
			Type string `json:"type"`
			Data struct {
				State string `json:"state"`
			} `json:"data"`
		}
		if err := json.Unmarshal(b, &m); err != nil || m.Type != "reading.state" || m.Data.State != "active" {
			t.Errorf("a reading room connection began with %s, want the reading's state, active", b)
		}
	}
}

// waitUntil checks cond every few milliseconds until it holds, and fails t
// when it still does not after a generous 30 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	const limit = 30 * time.Second
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
