package autoreload_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/notify"
)

var ctx = context.Background()

// eachEngine runs f against a fresh app on every engine.
func eachEngine(t *testing.T, f func(t *testing.T, s *apptest.Server), opts ...apptest.Option) {
	t.Helper()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			f(t, apptest.Start(t, e, opts...))
		})
	}
}

// waitFor waits (up to 20 s) for the app's background work to make cond
// true; say describes what it saw, for the failure.
func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %s", what, saw)
		}
	}
}

func balance(t *testing.T, s *apptest.Server, userID int64) int64 {
	t.Helper()
	b, err := s.App.Ledger.Balance(ctx, s.App.DB.Read(), ledger.Wallet(userID))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func verify(t *testing.T, s *apptest.Server) {
	t.Helper()
	rep, err := ledger.Verify(ctx, s.App.DB)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("ledger verify: %v %v", err, rep.Problems)
	}
}

// spend takes cents from the user's wallet as a gift does (a spending
// transfer, which limits guard and auto-reload answers).
func spend(t *testing.T, s *apptest.Server, userID, cents int64, key string) {
	t.Helper()
	_, err := s.App.Ledger.Transfer(ctx, ledger.Transfer{Key: key, Type: ledger.TypeGift, Memo: "A gift",
		Postings: []ledger.Posting{{Account: ledger.Wallet(userID), Amount: -cents}, {Account: ledger.PlatformRevenue(), Amount: cents}}})
	if err != nil {
		t.Fatalf("spend %d: %v", cents, err)
	}
}

// reload is one auto-reload attempt and the state of its top-up.
type reload struct {
	ID, TopUpID, Cents, Credited int64
	Status, PaymentIntent        string
}

// reloads lists the user's auto-reload attempts, oldest first.
func reloads(t *testing.T, s *apptest.Server, userID int64) []reload {
	t.Helper()
	rows, err := s.App.DB.Read().QueryContext(ctx, `SELECT a.id, a.topup_id, t.amount_cents, t.credited_cents, t.status, COALESCE(t.payment_intent_id, '')
		FROM auto_reload_attempts a JOIN topups t ON t.id = a.topup_id WHERE a.user_id = $1 ORDER BY a.id`, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []reload
	for rows.Next() {
		var r reload
		if err := rows.Scan(&r.ID, &r.TopUpID, &r.Cents, &r.Credited, &r.Status, &r.PaymentIntent); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// waitSettled waits until the user has n reloads, none of them under way.
func waitSettled(t *testing.T, s *apptest.Server, userID int64, n int) []reload {
	t.Helper()
	var got []reload
	waitFor(t, fmt.Sprintf("%d settled reloads", n), func() (bool, string) {
		got = reloads(t, s, userID)
		done := len(got) == n
		for _, r := range got {
			done = done && (r.Status == "paid" || r.Status == "failed")
		}
		return done, fmt.Sprintf("%+v", got)
	})
	return got
}

// autoReload is the API's view of a client's auto-reload.
type autoReload struct {
	Status         string `json:"status"`
	ThresholdCents *int64 `json:"threshold_cents"`
	AmountCents    *int64 `json:"amount_cents"`
	Card           *struct {
		Brand string `json:"brand"`
		Last4 string `json:"last4"`
	} `json:"card"`
	OffReason    string `json:"off_reason"`
	ReloadsToday int    `json:"reloads_today"`
	MaxPerDay    int    `json:"max_per_day"`
	SetupURL     string `json:"setup_url"`
}

// put turns the client's auto-reload on through the API.
func put(t *testing.T, c *apptest.Client, threshold, amount int64) autoReload {
	t.Helper()
	res := c.Do("PUT", "/api/v1/me/auto-reload", map[string]any{"threshold_cents": threshold, "amount_cents": amount})
	var out autoReload
	res.JSON(t, &out)
	if res.Status != http.StatusOK {
		t.Fatalf("PUT auto-reload: %d %s", res.Status, res.Body)
	}
	return out
}

// get reads the client's auto-reload through the API.
func get(t *testing.T, c *apptest.Client) autoReload {
	t.Helper()
	res := c.Do("GET", "/api/v1/me/auto-reload", nil)
	var out autoReload
	res.JSON(t, &out)
	if res.Status != http.StatusOK {
		t.Fatalf("GET auto-reload: %d %s", res.Status, res.Body)
	}
	return out
}

// waitOn waits until the client's auto-reload is on with the card ending
// in last4.
func waitOn(t *testing.T, c *apptest.Client, last4 string) autoReload {
	t.Helper()
	var got autoReload
	waitFor(t, "auto-reload on with card "+last4, func() (bool, string) {
		got = get(t, c)
		return got.Status == "on" && got.Card != nil && got.Card.Last4 == last4, fmt.Sprintf("%+v", got)
	})
	return got
}

// sessionOf is the Checkout Session id at the end of a card page's URL.
func sessionOf(url string) string { return url[strings.LastIndex(url, "/")+1:] }

// notices lists the user's auto-reload notifications, newest first.
func notices(t *testing.T, s *apptest.Server, userID int64) []notify.Item {
	t.Helper()
	items, err := s.App.Notify.List(ctx, userID, notify.ListFilter{Limit: notify.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	var out []notify.Item
	for _, it := range items {
		if it.Kind == notify.KindAutoReload {
			out = append(out, it)
		}
	}
	return out
}

// client logs in a new client.
func client(s *apptest.Server, email string) (*apptest.Client, account.User) {
	return s.LoginAs(email, account.RoleClient)
}
