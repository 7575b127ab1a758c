package crashtest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

const (
	billPeriod = time.Second
	billRate   = 50
)

// OD-5 OPS-3: the real binary is killed with SIGKILL at random moments while
// many readings are active and being billed each (1-second) minute; after
// the restarts every reading has been charged exactly once for every minute
// that started — no minute skipped, none charged twice, catching up on the
// minutes that passed while the server was down — and `soulseer ledger
// verify` passes.
func TestBillingSurvivesKills(t *testing.T) {
	bin := Build(t)
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dbURL, dir := dbtest.URL(t, e)
			env := []string{"DATABASE_URL=" + dbURL, "SOULSEER_DATA_DIR=" + dir, "SOULSEER_AUTH_RATE_LIMIT=100000/1m",
				"SOULSEER_LOG_LEVEL=error", "SOULSEER_BILLING_PERIOD=" + billPeriod.String(), "SOULSEER_PRESENCE_TIMEOUT=1h",
				"SOULSEER_READING_REQUEST_TIMEOUT=1h"}
			ctx := context.Background()
			const pairs = 12
			if out, err := Run(ctx, bin, env, "user", "create", "--email", "admin@crash.test", "--password", "crash-test-pw", "--role", "admin"); err != nil {
				t.Fatalf("create admin: %v\n%s", err, out)
			}
			for i := range pairs {
				if out, err := Run(ctx, bin, env, "user", "create", "--email", fmt.Sprintf("r%d@crash.test", i), "--password", "crash-test-pw", "--role", "reader"); err != nil {
					t.Fatalf("create reader: %v\n%s", err, out)
				}
			}
			p := Start(t, bin, env)
			admin := login(t, p.URL, "admin@crash.test")
			enrolTwoFactor(t, p.URL, admin)
			var readingIDs []int64
			for i := range pairs {
				rdr := login(t, p.URL, fmt.Sprintf("r%d@crash.test", i))
				_, me := rdr.Do("GET", p.URL+"/api/v1/me", nil)
				readerID := jsonID(t, me)
				mustStatus(t, 200, func() (int, []byte) {
					return admin.Do("POST", fmt.Sprintf("%s/api/v1/admin/readers/%d/verify", p.URL, readerID), nil)
				})
				mustStatus(t, 200, func() (int, []byte) {
					return rdr.Do("PUT", p.URL+"/api/v1/me/reader-profile", map[string]any{"display_name": fmt.Sprintf("Reader %d", i), "rates": map[string]int{"text": billRate}})
				})
				mustStatus(t, 200, func() (int, []byte) {
					return rdr.Do("POST", p.URL+"/api/v1/me/presence", map[string]string{"status": "online"})
				})
				live := connectLive(t, p.URL, rdr)
				cl := NewClient(t)
				st, b := cl.Do("POST", p.URL+"/api/v1/auth/signup", map[string]string{"email": fmt.Sprintf("c%d@crash.test", i), "password": "crash-test-pw", "display_name": "Client"})
				if st != 201 {
					t.Fatalf("signup: %d %s", st, b)
				}
				clientID := jsonID(t, b)
				mustStatus(t, 201, func() (int, []byte) {
					return admin.Do("POST", p.URL+"/api/v1/admin/adjustments", map[string]any{"user_id": clientID, "amount_cents": 100000, "reason": "crash test funds"})
				})
				st, b = cl.Do("POST", p.URL+"/api/v1/readings", map[string]any{"reader_id": readerID, "modality": "text"})
				if st != 201 {
					t.Fatalf("request reading: %d %s", st, b)
				}
				id := jsonID(t, b)
				mustStatus(t, 200, func() (int, []byte) {
					return rdr.Do("POST", fmt.Sprintf("%s/api/v1/readings/%d/accept", p.URL, id), nil)
				})
				live.Close(websocket.StatusNormalClosure, "")
				readingIDs = append(readingIDs, id)
			}
			p.Kill()
			for kill := range crashKills {
				p = Start(t, bin, env)
				time.Sleep(time.Duration(200+rand.IntN(1800)) * time.Millisecond)
				p.Kill()
				t.Logf("kill %d", kill+1)
			}
			p = Start(t, bin, env)
			time.Sleep(3 * time.Second) // a few sweeps catch up everything due
			stopping := time.Now()
			p.Stop(t)
			stopped := time.Now()

			d, err := db.Open(ctx, dbURL, dir, 4)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for _, id := range readingIDs {
				checkReadingCharges(t, d, id, stopping, stopped)
			}
			out, err := Run(ctx, bin, env, "ledger", "verify")
			if err != nil {
				t.Fatalf("soulseer ledger verify failed: %v\n%s", err, out)
			}
		})
	}
}

// checkReadingCharges checks that reading id, active throughout, was charged
// minutes 0…n−1 once each at its rate under their keys
// (reading:<id>:minute:<m>), where n is at most the number of minutes
// started by stopped, when the servers had stopped, and at least the number
// started by stopping, when they were told to stop (less the sweep interval
// and a second of slack).
func checkReadingCharges(t *testing.T, d *db.DB, id int64, stopping, stopped time.Time) {
	t.Helper()
	ctx := context.Background()
	var state string
	var activated sql.NullInt64
	var billed, total int64
	if err := d.Read().QueryRowContext(ctx, `SELECT state, activated_at, billed_minutes, total_cents FROM readings WHERE id = $1`, id).
		Scan(&state, &activated, &billed, &total); err != nil {
		t.Fatal(err)
	}
	if state != "active" || !activated.Valid {
		t.Fatalf("reading %d is %s, want active throughout", id, state)
	}
	rows, err := d.Read().QueryContext(ctx, `SELECT t.idempotency_key FROM ledger_transfers t WHERE t.type = 'reading_charge' AND t.cause_id = $1`, strconv.FormatInt(id, 10))
	if err != nil {
		t.Fatal(err)
	}
	minutes := map[int64]bool{}
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			t.Fatal(err)
		}
		m, err := strconv.ParseInt(strings.TrimPrefix(key, fmt.Sprintf("reading:%d:minute:", id)), 10, 64)
		if err != nil || minutes[m] {
			t.Fatalf("reading %d: bad or repeated minute key %q", id, key)
		}
		minutes[m] = true
	}
	rows.Close()
	if int64(len(minutes)) != billed || total != billed*billRate {
		t.Fatalf("reading %d: %d charges, billed_minutes %d, total %d", id, len(minutes), billed, total)
	}
	for m := range billed {
		if !minutes[m] {
			t.Fatalf("reading %d: minute %d was never charged (billed %d)", id, m, billed)
		}
	}
	start := db.Time(activated.Int64)
	started := func(d time.Duration) int64 { return max(1, int64((d+billPeriod-1)/billPeriod)) }
	lo, hi := started(stopping.Sub(start)-2*time.Second), started(stopped.Sub(start))
	if billed < lo || billed > hi {
		t.Fatalf("reading %d: %d minutes charged after %s active; want %d…%d", id, billed, stopped.Sub(start).Round(time.Millisecond), lo, hi)
	}
}

func login(t *testing.T, base, email string) *Client {
	t.Helper()
	c := NewClient(t)
	if st, b := c.Do("POST", base+"/api/v1/auth/login", map[string]string{"email": email, "password": "crash-test-pw"}); st != 200 {
		t.Fatalf("login %s: %d %s", email, st, b)
	}
	return c
}

func mustStatus(t *testing.T, want int, f func() (int, []byte)) {
	t.Helper()
	if st, b := f(); st != want {
		t.Fatalf("status %d, want %d: %s", st, want, b)
	}
}

// connectLive opens the reader's live connection: while it is open they are
// connected, so an online reader can be requested.
func connectLive(t *testing.T, base string, c *Client) *websocket.Conn {
	t.Helper()
	u := strings.Replace(base, "http://", "ws://", 1) + "/api/v1/ws"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: c.Header(base)})
	if err != nil {
		t.Fatalf("live connection: %v", err)
	}
	return conn
}
