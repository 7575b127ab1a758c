package autoreload_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/stripetest"
)

// stripeCall is one request the app made to Stripe.
type stripeCall struct {
	Method, Path, Key string
	Form              url.Values
}

// stripeProxy stands in front of stripe-mock: it records every request,
// and answers the creation of a PaymentIntent as told — stripe-mock's own
// answer (a status the webhook settles), a success, a card refusal (its
// bank asks the holder to confirm), or an outage once.
type stripeProxy struct {
	URL string

	mu     sync.Mutex
	calls  []stripeCall
	answer string // "", "succeeded", "declined" or "outage"
}

// Answers a PaymentIntent creation may get.
const (
	answerMock      = ""
	answerSucceeded = "succeeded"
	answerDeclined  = "declined" // the bank asks the holder to confirm
	answerOutage    = "outage"   // a 503 once, then stripe-mock's answer
)

func newStripeProxy(t *testing.T) *stripeProxy {
	mock, _ := url.Parse(stripetest.Start(t))
	p := &stripeProxy{}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(mock)
			r.Out.Header.Del("Accept-Encoding")
			body, _ := io.ReadAll(r.In.Body)
			r.Out.Body, r.Out.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			form, _ := url.ParseQuery(string(body))
			if r.In.Method == http.MethodGet {
				form = r.In.URL.Query()
			}
			p.mu.Lock()
			p.calls = append(p.calls, stripeCall{Method: r.In.Method, Path: r.In.URL.Path, Key: r.In.Header.Get("Idempotency-Key"), Form: form})
			p.mu.Unlock()
		},
		ModifyResponse: p.modify,
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// modify rewrites stripe-mock's answer to a PaymentIntent creation.
func (p *stripeProxy) modify(res *http.Response) error {
	if res.Request.Method != http.MethodPost || res.Request.URL.Path != "/v1/payment_intents" {
		return nil
	}
	p.mu.Lock()
	answer := p.answer
	if answer == answerOutage {
		p.answer = answerMock
	}
	p.mu.Unlock()
	var pi map[string]any
	if err := json.NewDecoder(res.Body).Decode(&pi); err != nil {
		return err
	}
	res.Body.Close()
	var out any = pi
	switch answer {
	case answerSucceeded:
		pi["status"] = "succeeded"
	case answerDeclined:
		res.StatusCode, res.Status = http.StatusPaymentRequired, "402 Payment Required"
		pi["status"] = "requires_payment_method"
		out = map[string]any{"error": map[string]any{"type": "card_error", "code": "authentication_required",
			"message": "Your card was declined. This transaction requires authentication.", "payment_intent": pi}}
	case answerOutage:
		res.StatusCode, res.Status = http.StatusServiceUnavailable, "503 Service Unavailable"
		res.Header.Set("Stripe-Should-Retry", "false")
		out = map[string]any{"error": map[string]any{"type": "api_error", "message": "Stripe is down for a moment."}}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	res.Body, res.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	res.Header.Set("Content-Length", strconv.Itoa(len(b)))
	return nil
}

func (p *stripeProxy) setAnswer(a string) {
	p.mu.Lock()
	p.answer = a
	p.mu.Unlock()
}

// made lists the requests to method and path so far.
func (p *stripeProxy) made(method, path string) []stripeCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []stripeCall
	for _, c := range p.calls {
		if c.Method == method && strings.HasPrefix(c.Path, path) {
			out = append(out, c)
		}
	}
	return out
}

// event builds a Stripe event delivery about object.
func event(id, typ string, object map[string]any) string {
	b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "api_version": "2025-01-01",
		"created": time.Now().Unix(), "livemode": false, "data": map[string]any{"object": object}})
	return string(b)
}

// WAL-12 EXT-2: with Stripe (stripe-mock behind a recording proxy), a
// client's auto-reload makes one Customer, reused; a Checkout Session in
// setup mode saves the card, which the session's completed webhook has
// fetched from its SetupIntent; a spend under the threshold makes an
// off-session PaymentIntent (confirmed, keyed per reload, so the job
// retried after an outage asks again under the same key) whose money
// reaches the wallet only when Stripe says it succeeded — by the
// payment_intent.succeeded webhook, once however often it comes, or by the
// synchronous answer — and a card whose bank asks for authentication
// switches auto-reload off.
func TestAutoReloadWithStripe_WAL12(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			proxy := newStripeProxy(t)
			testAutoReloadWithStripe(t, proxy, apptest.Start(t, e, apptest.WithConfig(func(c *config.Config) {
				c.StripeSecretKey, c.StripeAPIURL, c.StripeWebhookSecret = "sk_test_soulseer", proxy.URL, "whsec_test_soulseer"
			})))
		})
	}
}

func testAutoReloadWithStripe(t *testing.T, proxy *stripeProxy, s *apptest.Server) {
	c, u := client(s, "fay@example.com")
	ar := put(t, c, 10_00, 25_00)
	if ar.Status != "needs_card" || !strings.HasPrefix(ar.SetupURL, "https://checkout.stripe.com/") {
		t.Fatalf("turning auto-reload on: %+v, want a Stripe Checkout page", ar)
	}
	put(t, c, 10_00, 25_00) // the page opened again: the same customer
	customers := proxy.made("POST", "/v1/customers")
	if len(customers) != 1 || customers[0].Form.Get("metadata[user_id]") != strconv.FormatInt(u.ID, 10) ||
		customers[0].Form.Get("email") != u.Email || customers[0].Key != fmt.Sprintf("soulseer-customer-%d", u.ID) {
		t.Fatalf("customer creations: %+v, want one for the client", customers)
	}
	var customer, session string
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT c.customer_id, r.setup_session_id FROM payment_customers c JOIN auto_reloads r ON r.user_id = c.user_id
		WHERE c.user_id = $1`, u.ID).Scan(&customer, &session); err != nil {
		t.Fatal(err)
	}
	sessions := proxy.made("POST", "/v1/checkout/sessions")
	cs := sessions[len(sessions)-1].Form
	if len(sessions) != 2 || cs.Get("mode") != "setup" || cs.Get("customer") != customer || cs.Get("currency") != "usd" ||
		cs.Get("payment_method_types[0]") != "card" || cs.Get("setup_intent_data[metadata][user_id]") != strconv.FormatInt(u.ID, 10) ||
		cs.Get("success_url") != s.URL+"/wallet/auto-reload?card=saved" {
		t.Fatalf("card pages: %d, the last %v", len(sessions), cs)
	}

	// The page completes: its SetupIntent's card is fetched and saved.
	deliver(t, s, event("evt_setup", "checkout.session.completed", map[string]any{"id": session, "object": "checkout.session", "mode": "setup",
		"status": "complete", "setup_intent": "seti_soulseer", "customer": customer}))
	on := waitOn(t, c, "4242")
	if on.Card.Brand != "visa" {
		t.Fatalf("saved card: %+v", on.Card)
	}
	if got := proxy.made("GET", "/v1/setup_intents/seti_soulseer"); len(got) != 1 || got[0].Form.Get("expand[0]") != "payment_method" {
		t.Fatalf("setup intent reads: %+v", got)
	}
	var card string
	if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT payment_method_id FROM auto_reloads WHERE user_id = $1`, u.ID).Scan(&card); err != nil || card == "" {
		t.Fatalf("saved payment method %q %v", card, err)
	}

	// Money in the wallet: a top-up paid through Checkout.
	tu, err := s.App.Payments.CreateTopUp(ctx, u, 30_00, "")
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, s, event("evt_fund", "checkout.session.completed", map[string]any{"id": tu.CheckoutSessionID, "object": "checkout.session", "mode": "payment",
		"amount_total": 30_00, "currency": "usd", "payment_status": "paid", "payment_intent": "pi_fund"}))

	// A spend under the threshold, Stripe out for a moment: the
	// retried job asks again under the same key; Stripe's answer
	// leaves the payment to its webhook.
	proxy.setAnswer(answerOutage)
	spend(t, s, u.ID, 25_00, "gift-1")
	var r reload
	waitFor(t, "the reload to reach Stripe", func() (bool, string) {
		got := reloads(t, s, u.ID)
		ok := len(got) == 1 && got[0].Status == "processing"
		if ok {
			r = got[0]
		}
		return ok, fmt.Sprintf("%+v", got)
	})
	intents := proxy.made("POST", "/v1/payment_intents")
	if len(intents) != 2 {
		t.Fatalf("%d PaymentIntent requests, want the failed one and its retry", len(intents))
	}
	for _, pi := range intents {
		f := pi.Form
		if pi.Key != fmt.Sprintf("soulseer-autoreload-%d", r.ID) || f.Get("amount") != "2500" || f.Get("currency") != "usd" || f.Get("customer") != customer ||
			f.Get("payment_method") != card || f.Get("confirm") != "true" || f.Get("off_session") != "true" || f.Get("metadata[topup_id]") != strconv.FormatInt(r.TopUpID, 10) {
			t.Fatalf("PaymentIntent request %+v for reload %+v", pi, r)
		}
	}
	if b := balance(t, s, u.ID); b != 5_00 {
		t.Fatalf("wallet %d before Stripe said the charge succeeded, want 500", b)
	}
	if err := s.App.Reloads.Charge(ctx, r.ID); err != nil || len(proxy.made("POST", "/v1/payment_intents")) != 2 {
		t.Fatalf("a reload under way was charged again: %v", err)
	}
	succeeded := event("evt_pi_1", "payment_intent.succeeded", map[string]any{"id": r.PaymentIntent, "object": "payment_intent", "amount": 25_00,
		"currency": "usd", "status": "succeeded", "metadata": map[string]string{"topup_id": strconv.FormatInt(r.TopUpID, 10)}})
	if d := deliver(t, s, succeeded); d.Outcome != payment.EventProcessed {
		t.Fatalf("payment_intent.succeeded: %+v", d)
	}
	if d := deliver(t, s, succeeded); !d.Duplicate || balance(t, s, u.ID) != 30_00 || credits(t, s, r.TopUpID) != 1 {
		t.Fatalf("after the event twice: %+v, wallet %d", d, balance(t, s, u.ID))
	}

	// Stripe answers at once that the charge succeeded: credited then,
	// and its webhook finds it done.
	proxy.setAnswer(answerSucceeded)
	spend(t, s, u.ID, 26_00, "gift-2") // $4.00 left
	second := waitSettled(t, s, u.ID, 2)[1]
	if second.Status != "paid" || balance(t, s, u.ID) != 29_00 {
		t.Fatalf("the synchronous reload: %+v, wallet %d", second, balance(t, s, u.ID))
	}
	deliver(t, s, event("evt_pi_2", "payment_intent.succeeded", map[string]any{"id": second.PaymentIntent, "object": "payment_intent", "amount": 25_00,
		"currency": "usd", "status": "succeeded", "metadata": map[string]string{"topup_id": strconv.FormatInt(second.TopUpID, 10)}}))
	if !strings.Contains(eventNote(t, s, "evt_pi_2"), "already credited") || balance(t, s, u.ID) != 29_00 {
		t.Fatalf("the webhook after the answer: %q, wallet %d", eventNote(t, s, "evt_pi_2"), balance(t, s, u.ID))
	}

	// The bank asks the holder to confirm, which cannot happen while
	// they are away: auto-reload switches off and says why.
	proxy.setAnswer(answerDeclined)
	spend(t, s, u.ID, 25_00, "gift-3") // $4.00 left
	third := waitSettled(t, s, u.ID, 3)[2]
	off := get(t, c)
	if third.Status != "failed" || balance(t, s, u.ID) != 4_00 || off.Status != "off" || off.OffReason != "Your bank asked you to confirm the payment, which cannot be done while you are away." {
		t.Fatalf("the declined reload: %+v, wallet %d, auto-reload %+v", third, balance(t, s, u.ID), off)
	}
	if n := notices(t, s, u.ID); len(n) != 4 || n[0].Title != "Auto-reload is off: your card was refused" {
		t.Fatalf("notifications: %+v", n)
	}
	verify(t, s)
}
