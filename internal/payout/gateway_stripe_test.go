package payout_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/soulseer/soulseer/internal/payout"
)

// EXT-3: a payout sent again after Stripe has forgotten its idempotency
// key (a day later) finds the transfer made for it the first time, by its
// transfer group and metadata, and makes no second one.
func TestTransferSentAgainFindsTheFirst(t *testing.T) {
	created := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v1/transfers":
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Query().Get("transfer_group") != "payout-42" {
				w.Write([]byte(`{"object": "list", "data": [], "has_more": false, "url": "/v1/transfers"}`))
				return
			}
			w.Write([]byte(`{"object": "list", "has_more": false, "url": "/v1/transfers", "data": [
				{"id": "tr_other", "object": "transfer", "amount": 2500, "transfer_group": "payout-42", "metadata": {"soulseer_payout_id": "7"}},
				{"id": "tr_first", "object": "transfer", "amount": 2500, "transfer_group": "payout-42", "metadata": {"soulseer_payout_id": "42"}}]}`))
		case r.Method == http.MethodPost && r.URL.Path == "/v1/transfers":
			created++
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id": "tr_new", "object": "transfer", "amount": 2500}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	g := payout.NewStripeGateway("sk_test_soulseer", srv.URL)
	id, err := g.Transfer(context.Background(), payout.TransferRequest{PayoutID: 42, Destination: "acct_1", AmountCents: 2500, IdempotencyKey: payout.TransferKey(42)})
	if err != nil || id != "tr_first" || created != 0 {
		t.Fatalf("sent again: %q %v, %d transfers created; want tr_first and none", id, err, created)
	}
	id, err = g.Transfer(context.Background(), payout.TransferRequest{PayoutID: 43, Destination: "acct_1", AmountCents: 2500, IdempotencyKey: payout.TransferKey(43)})
	if err != nil || id != "tr_new" || created != 1 {
		t.Fatalf("a first send: %q %v, %d created; want tr_new and one", id, err, created)
	}
}
