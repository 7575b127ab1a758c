package payment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/stripetest"
)

// stripeCharge is the part of a Stripe charge that reconciliation reads.
type stripeCharge struct {
	ID             string  `json:"id"`
	Amount         int64   `json:"amount"`
	AmountRefunded int64   `json:"amount_refunded"`
	Created        int64   `json:"created"`
	Status         string  `json:"status"`
	Paid           bool    `json:"paid"`
	PaymentIntent  *string `json:"payment_intent"`
}

// mapped is the Charge the gateway should make of c.
func (c stripeCharge) mapped() payment.Charge {
	ch := payment.Charge{ID: c.ID, AmountCents: c.Amount, RefundedCents: c.AmountRefunded, Created: time.Unix(c.Created, 0).UTC()}
	if c.PaymentIntent != nil {
		ch.PaymentIntentID = *c.PaymentIntent
	}
	return ch
}

// fixtureCharges lists the charges stripe-mock returns, read straight from it.
func fixtureCharges(t *testing.T, mock string) []stripeCharge {
	t.Helper()
	req, _ := http.NewRequest("GET", mock+"/v1/charges", nil)
	req.SetBasicAuth("sk_test_soulseer", "")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var list struct {
		Data []stripeCharge `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil || len(list.Data) == 0 {
		t.Fatalf("stripe-mock charge list: %d %v %+v", res.StatusCode, err, list)
	}
	return list.Data
}

// WAL-9: the Stripe gateway reads the charge list for the month and maps
// each successful charge.
func TestStripeGatewayCharges(t *testing.T) {
	t.Parallel()
	mock := stripetest.Start(t)
	fixture := fixtureCharges(t, mock)
	var want []payment.Charge
	for _, c := range fixture {
		if c.Status == "succeeded" && c.Paid {
			want = append(want, c.mapped())
		}
	}
	if len(want) == 0 {
		t.Fatalf("stripe-mock returned no successful charge to read: %+v", fixture)
	}
	from := time.Unix(fixture[0].Created, 0).UTC().AddDate(0, 0, -1)
	got, err := payment.NewStripeGateway("sk_test_soulseer", mock).Charges(context.Background(), from, from.AddDate(0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("charges = %+v\nwant %+v", got, want)
	}
}

// WAL-9: the gateway asks for the month's charges, follows every page, and
// keeps only successful ones. A proxy in front of stripe-mock records each
// list request and, on the first page, says there is more; the second page
// is stripe-mock's charge again, once marked failed and once as a paid
// charge of a payment intent.
func TestStripeGatewayChargesPagesAndFilters(t *testing.T) {
	t.Parallel()
	mock := stripetest.Start(t)
	fixture := fixtureCharges(t, mock)[0]
	target, _ := url.Parse(mock)
	var mu sync.Mutex
	var queries []url.Values
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Header.Del("Accept-Encoding")
			if r.In.URL.Path == "/v1/charges" {
				mu.Lock()
				queries = append(queries, r.In.URL.Query())
				mu.Unlock()
			}
		},
		ModifyResponse: func(res *http.Response) error {
			if res.Request.URL.Path != "/v1/charges" {
				return nil
			}
			var list map[string]any
			if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
				return err
			}
			res.Body.Close()
			mu.Lock()
			page := len(queries)
			mu.Unlock()
			data := list["data"].([]any)
			if page == 1 {
				list["has_more"] = true
			} else {
				charge := data[0].(map[string]any)
				failed, intent := maps.Clone(charge), maps.Clone(charge)
				failed["id"], failed["status"], failed["paid"] = fixture.ID+"_failed", "failed", false
				intent["id"], intent["payment_intent"] = fixture.ID+"_intent", "pi_soulseer_test"
				list["data"], list["has_more"] = []any{failed, intent}, false
			}
			b, err := json.Marshal(list)
			if err != nil {
				return err
			}
			res.Body, res.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
			res.Header.Set("Content-Length", strconv.Itoa(len(b)))
			return nil
		},
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)

	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	got, err := payment.NewStripeGateway("sk_test_soulseer", srv.URL).Charges(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	intent := fixture
	intent.ID, intent.PaymentIntent = fixture.ID+"_intent", new("pi_soulseer_test")
	if want := []payment.Charge{fixture.mapped(), intent.mapped()}; !slices.Equal(got, want) {
		t.Fatalf("charges = %+v\nwant %+v", got, want)
	}
	if len(queries) != 2 {
		t.Fatalf("%d list requests, want 2: %v", len(queries), queries)
	}
	for i, q := range queries {
		if q.Get("created[gte]") != strconv.FormatInt(from.Unix(), 10) || q.Get("created[lt]") != strconv.FormatInt(to.Unix(), 10) {
			t.Errorf("request %d does not ask for [%v, %v): %v", i+1, from, to, q)
		}
	}
	if after := queries[1].Get("starting_after"); after != fixture.ID {
		t.Errorf("second page starts after %q, want %q", after, fixture.ID)
	}
}
