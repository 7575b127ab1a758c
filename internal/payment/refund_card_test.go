package payment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/stripetest"
)

// Ways the road to Stripe can behave.
const (
	roadOpen    = "open"    // requests reach stripe-mock
	roadOutage  = "outage"  // Stripe answers 503 and does nothing
	roadLost    = "lost"    // Stripe makes the refund, but its answer is lost (502)
	roadRefused = "refused" // Stripe refuses the refund with a 400
)

// stripeRoad stands between SoulSeer and a real stripe-mock and fails the
// way networks and Stripe do. Like Stripe, it remembers refunds that went
// through (stripe-mock forgets), so a later refund list shows them.
type stripeRoad struct {
	mu      sync.Mutex
	mode    string
	made    []map[string]any // refunds Stripe made, as it lists them
	creates int              // refund creations that reached Stripe or the road
}

func newStripeRoad(t *testing.T) (*stripeRoad, string) {
	target, err := url.Parse(stripetest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	road := &stripeRoad{mode: roadOpen}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		road.mu.Lock()
		mode := road.mode
		road.mu.Unlock()
		switch {
		case r.Method == "GET" && r.URL.Path == "/v1/refunds":
			road.list(w, r)
		case r.Method == "POST" && r.URL.Path == "/v1/refunds":
			road.create(w, r, mode, proxy)
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return road, srv.URL
}

func (road *stripeRoad) set(mode string) {
	road.mu.Lock()
	defer road.mu.Unlock()
	road.mode = mode
}

func (road *stripeRoad) create(w http.ResponseWriter, r *http.Request, mode string, proxy http.Handler) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	road.mu.Lock()
	road.creates++
	if mode == roadOpen || mode == roadLost {
		amount, _ := strconv.ParseInt(form.Get("amount"), 10, 64)
		road.made = append(road.made, map[string]any{"id": fmt.Sprintf("re_road_%d", len(road.made)+1), "object": "refund", "status": "succeeded",
			"amount": amount, "payment_intent": form.Get("payment_intent"),
			"metadata": map[string]string{"soulseer_refund_key": form.Get("metadata[soulseer_refund_key]")}})
	}
	road.mu.Unlock()
	switch mode {
	case roadOutage:
		stripeError(w, http.StatusServiceUnavailable, "api_error", "Stripe is having a bad day.")
	case roadLost:
		stripeError(w, http.StatusBadGateway, "api_error", "The connection was reset.")
	case roadRefused:
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "Refund amount is greater than the unrefunded amount.")
	default:
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}
}

// list answers GET /v1/refunds with the refunds made for the payment intent.
func (road *stripeRoad) list(w http.ResponseWriter, r *http.Request) {
	road.mu.Lock()
	defer road.mu.Unlock()
	data := []map[string]any{}
	for _, m := range road.made {
		if m["payment_intent"] == r.URL.Query().Get("payment_intent") {
			data = append(data, m)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "url": "/v1/refunds", "has_more": false, "data": data})
}

func stripeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"type": typ, "message": msg}})
}

// eachEngineOnRoad runs f on every engine against an app whose Stripe is
// stripe-mock behind a road of its own.
func eachEngineOnRoad(t *testing.T, f func(t *testing.T, s *apptest.Server, road *stripeRoad)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			road, stripeURL := newStripeRoad(t)
			s := apptest.Start(t, e, apptest.WithConfig(func(cfg *config.Config) {
				cfg.StripeSecretKey, cfg.StripeAPIURL, cfg.StripeWebhookSecret = "sk_test_soulseer", stripeURL, "whsec_test_soulseer"
			}))
			f(t, s, road)
		})
	}
}

// refundJob is attempt n of the card refund job for refund id.
func refundJob(id int64, n int) *river.Job[payment.CardRefundArgs] {
	return &river.Job[payment.CardRefundArgs]{JobRow: &rivertype.JobRow{Attempt: n}, Args: payment.CardRefundArgs{RefundID: id}}
}

// WAL-7: a card refund is given back to the wallet only when Stripe
// definitely refused it and has no refund under its key. An outage or a lost
// answer never pays twice: the refund is retried under the same key, found
// at Stripe when it went through, and after CardRefundAttempts it waits for
// an admin with the wallet still debited. A database error is retried, not
// taken for "done".
func TestCardRefundOutcomes_WAL7(t *testing.T) {
	for _, c := range []struct {
		name   string
		mode   string
		status string // after the first attempt; after the last when it stays pending
		wallet int64  // the client's wallet at the end (the top-up was 5000, the refund 3000)
		audit  string // the audit action that says what happened
	}{
		{"stripe refunds", roadOpen, payment.RefundSucceeded, 2000, ""},
		{"answer lost but the refund went through", roadLost, payment.RefundSucceeded, 2000, ""},
		{"outage", roadOutage, payment.RefundReview, 2000, "wallet.refund_card_review"},
		{"definite refusal", roadRefused, payment.RefundFailed, 5000, "wallet.refund_card_failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			eachEngineOnRoad(t, func(t *testing.T, s *apptest.Server, road *stripeRoad) {
				ctx := context.Background()
				u, ref, worker := pendingCardRefund(t, s)
				road.set(c.mode)
				err := worker.Work(ctx, refundJob(ref.ID, 1))
				got, _ := s.App.Payments.Refund(ctx, ref.ID)
				if got.Status == payment.RefundPending {
					if err == nil {
						t.Fatal("an attempt without an answer reported the job done")
					}
					if w := balance(t, s, ledger.Wallet(u.ID)); w != 2000 {
						t.Fatalf("wallet = %d while the refund is pending, want 2000", w)
					}
					if err := worker.Work(ctx, refundJob(ref.ID, payment.CardRefundAttempts)); err != nil {
						t.Fatalf("last attempt: %v", err)
					}
					got, _ = s.App.Payments.Refund(ctx, ref.ID)
				}
				if got.Status != c.status {
					t.Fatalf("refund status %q (%s), want %q", got.Status, got.Failure, c.status)
				}
				if c.status == payment.RefundSucceeded && got.StripeRefundID == "" {
					t.Fatal("a succeeded refund has no Stripe refund id")
				}
				if w := balance(t, s, ledger.Wallet(u.ID)); w != c.wallet {
					t.Fatalf("wallet = %d, want %d", w, c.wallet)
				}
				if c.audit != "" {
					if logs, _ := audit.List(ctx, s.App.DB.Read(), audit.Filter{Action: c.audit}); len(logs) != 1 {
						t.Fatalf("audit %s: %d records, want 1", c.audit, len(logs))
					}
				}
				// Running the job again changes nothing.
				if err := worker.Work(ctx, refundJob(ref.ID, 2)); err != nil {
					t.Fatalf("job after settling: %v", err)
				}
				if w := balance(t, s, ledger.Wallet(u.ID)); w != c.wallet {
					t.Fatalf("wallet = %d after a repeated job, want %d", w, c.wallet)
				}
				verify(t, s)
			})
		})
	}
}

// A database failure while reading the refund is retried (the job returns
// the error) instead of being taken for "nothing to do".
func TestCardRefundRetriesDatabaseErrors_WAL7(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		_, ref, worker := pendingCardRefund(t, s)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := worker.Work(ctx, refundJob(ref.ID, 1)); err == nil {
			t.Fatal("the job reported success though it could not read the refund")
		}
		if got, _ := s.App.Payments.Refund(context.Background(), ref.ID); got.Status != payment.RefundPending {
			t.Fatalf("status %q, want pending", got.Status)
		}
	}, withStripeMock(t))
}

// WAL-7 SEC-4: an admin settles a refund in review after checking the
// Stripe dashboard — confirm, reverse to the wallet, or ask Stripe again —
// each audited; a refund not in review cannot be resolved.
func TestCardRefundReview_WAL7_SEC4(t *testing.T) {
	eachEngineOnRoad(t, func(t *testing.T, s *apptest.Server, road *stripeRoad) {
		ctx := context.Background()
		admin := s.CreateUser("reviewer@example.com", account.RoleAdmin)
		review := func() (account.User, payment.Refund) {
			road.set(roadOutage)
			u, ref, worker := pendingCardRefund(t, s)
			if err := worker.Work(ctx, refundJob(ref.ID, payment.CardRefundAttempts)); err != nil {
				t.Fatal(err)
			}
			ref, _ = s.App.Payments.Refund(ctx, ref.ID)
			if ref.Status != payment.RefundReview {
				t.Fatalf("status %q, want review", ref.Status)
			}
			return u, ref
		}
		u, ref := review()
		if _, err := s.App.Payments.ResolveRefund(ctx, u, ref.ID, payment.ReviewReverse, ""); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a client resolved a refund: %v", err)
		}
		if _, err := s.App.Payments.ResolveRefund(ctx, admin, ref.ID, "maybe", ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("unknown action: %v", err)
		}
		got, err := s.App.Payments.ResolveRefund(ctx, admin, ref.ID, payment.ReviewReverse, "")
		if err != nil || got.Status != payment.RefundFailed || balance(t, s, ledger.Wallet(u.ID)) != 5000 {
			t.Fatalf("reverse: %+v %v, wallet %d", got, err, balance(t, s, ledger.Wallet(u.ID)))
		}
		if _, err := s.App.Payments.ResolveRefund(ctx, admin, ref.ID, payment.ReviewReverse, ""); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("reversing twice: %v", err)
		}
		u, ref = review()
		got, err = s.App.Payments.ResolveRefund(ctx, admin, ref.ID, payment.ReviewConfirm, "re_dashboard_1")
		if err != nil || got.Status != payment.RefundSucceeded || got.StripeRefundID != "re_dashboard_1" || balance(t, s, ledger.Wallet(u.ID)) != 2000 {
			t.Fatalf("confirm: %+v %v", got, err)
		}
		_, ref = review()
		road.set(roadOpen)
		got, err = s.App.Payments.ResolveRefund(ctx, admin, ref.ID, payment.ReviewRetry, "")
		if err != nil {
			t.Fatal(err)
		}
		waitRefund(t, s, ref.ID, payment.RefundSucceeded) // the app's own job queue sends it again
		for action, want := range map[string]int{"wallet.refund_card_failed": 1, "wallet.refund_card_confirmed": 1, "wallet.refund_card_retry": 1} {
			logs, _ := audit.List(ctx, s.App.DB.Read(), audit.Filter{Action: action})
			if len(logs) != want || logs[0].ActorID != admin.ID {
				t.Fatalf("audit %s = %+v, want %d by the admin", action, logs, want)
			}
		}
		verify(t, s)
	})
}

var refundClients sync.Map // server → how many refund clients it has

// pendingCardRefund tops up a new client's wallet with 5000 through Stripe
// and has an admin refund 3000 of it to the card; the refund is pending.
func pendingCardRefund(t *testing.T, s *apptest.Server) (account.User, payment.Refund, *payment.CardRefundWorker) {
	t.Helper()
	n, _ := refundClients.LoadOrStore(s, new(int))
	*n.(*int)++
	tag := fmt.Sprintf("refund%d", *n.(*int))
	u, tu := newTopUp(t, s, tag+"@example.com", 5000)
	if st := deliver(t, s, completed("evt_"+tag, tu, 5000, "paid")); st != http.StatusOK {
		t.Fatalf("top-up webhook: %d", st)
	}
	admin := s.CreateUser(tag+"-admin@example.com", account.RoleAdmin)
	ref, err := s.App.Payments.RefundMoney(context.Background(), admin, payment.RefundInput{Kind: payment.RefundCard, TopUpID: tu.ID,
		AmountCents: 3000, Reason: "changed their mind"})
	if err != nil {
		t.Fatal(err)
	}
	return u, ref, &payment.CardRefundWorker{Payments: s.App.Payments}
}

// waitRefund waits (up to 20 s) for the app's job queue to settle a refund.
func waitRefund(t *testing.T, s *apptest.Server, id int64, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err := s.App.Payments.Refund(context.Background(), id)
		if err == nil && got.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("refund %d is %q (%v), want %q", id, got.Status, err, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
