package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

// moneyAPI is every /api/v1 route of the wallet and admin money pages; like
// foundationAPI, each needs a success scenario, and each that takes a JSON
// body is also sent the generic bad bodies.
var moneyAPI = map[string]bool{ // route → takes a JSON body
	"GET /api/v1/wallet":                         false,
	"GET /api/v1/wallet/entries":                 false,
	"POST /api/v1/wallet/topups":                 true,
	"GET /api/v1/wallet/topups/{id}":             false,
	"GET /api/v1/admin/refunds":                  false,
	"POST /api/v1/admin/refunds":                 true,
	"POST /api/v1/admin/refunds/{id}/resolve":    true,
	"POST /api/v1/admin/adjustments":             true,
	"GET /api/v1/admin/adjustments":              false,
	"POST /api/v1/admin/adjustments/{id}/decide": true,
	"GET /api/v1/admin/reconciliation":           false,
}

// moneyBodyRoutes are the money routes that take JSON, with who may call
// them, so the bad bodies get past authorisation to the decoder.
var moneyBodyRoutes = []bodyRoute{
	{"POST /api/v1/wallet/topups", "client", "", nil},
	{"POST /api/v1/admin/refunds", "admin", "", nil},
	{"POST /api/v1/admin/refunds/{id}/resolve", "admin", "/api/v1/admin/refunds/{refund}/resolve", nil},
	{"POST /api/v1/admin/adjustments", "admin", "", nil},
	{"POST /api/v1/admin/adjustments/{id}/decide", "admin2", "/api/v1/admin/adjustments/{selfcredit}/decide", nil},
}

// WAL-4 WAL-7 WAL-8 WAL-9: the money routes answer their success cases,
// and bad input — wrong types, fractional or out-of-range cents, unknown
// choices — with a problem naming the field, never a 500, and changes
// nothing: no top-up, refund, ledger entry or audit record.
func moneyScenarios() []scenario {
	return []scenario{
		// The client's wallet (WAL-1, WAL-4).
		{name: "wallet", route: "GET /api/v1/wallet", as: "client", status: 200, contains: []string{`"balance_cents":0`, `"currency":"usd"`}},
		{name: "wallet anonymous", route: "GET /api/v1/wallet", as: "anon", status: 401},
		{name: "top-up", route: "POST /api/v1/wallet/topups", as: "client", body: map[string]int64{"amount_cents": 2500}, status: 201,
			check: func(t *testing.T, w *world, res apptest.Response) {
				tu := decode[struct {
					ID          int64  `json:"id"`
					Mode        string `json:"mode"`
					Status      string `json:"status"`
					CheckoutURL string `json:"checkout_url"`
					Session     string `json:"checkout_session_id"`
				}](t, res)
				if tu.ID == 0 || tu.Mode != "test" || tu.Status != "pending" || !strings.Contains(tu.CheckoutURL, "/wallet/test-checkout/") {
					t.Fatalf("top-up = %+v", tu)
				}
				w.ids["topup"] = tu.ID
				if _, err := w.s.App.Payments.PayTestCheckout(ctx, w.client, tu.Session); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "top-up below the minimum", route: "POST /api/v1/wallet/topups", as: "client", body: map[string]int64{"amount_cents": 499}, status: 400, fields: []string{"amount_cents"}},
		{name: "top-up above the maximum", route: "POST /api/v1/wallet/topups", as: "client", body: map[string]int64{"amount_cents": 50001}, status: 400, fields: []string{"amount_cents"}},
		{name: "top-up amount is a string", route: "POST /api/v1/wallet/topups", as: "client", body: `{"amount_cents": "2500"}`, status: 400, fields: []string{"amount_cents"}},
		{name: "top-up amount is fractional", route: "POST /api/v1/wallet/topups", as: "client", body: `{"amount_cents": 2500.5}`, status: 400, fields: []string{"amount_cents"}},
		{name: "top-up amount overflows", route: "POST /api/v1/wallet/topups", as: "client", body: `{"amount_cents": 99999999999999999999}`, status: 400, fields: []string{"amount_cents"}},
		{name: "top-up anonymous", route: "POST /api/v1/wallet/topups", as: "anon", body: map[string]int64{"amount_cents": 2500}, status: 401},
		{name: "top-up shown", route: "GET /api/v1/wallet/topups/{id}", as: "client", path: "/api/v1/wallet/topups/{topup}", status: 200, contains: []string{`"status":"paid"`, `"credited_cents":2500`}},
		{name: "top-up of another user", route: "GET /api/v1/wallet/topups/{id}", as: "reader", path: "/api/v1/wallet/topups/{topup}", status: 404},
		{name: "top-up bad id", route: "GET /api/v1/wallet/topups/{id}", as: "client", path: "/api/v1/wallet/topups/abc", status: 404},
		{name: "wallet after paying", route: "GET /api/v1/wallet", as: "client", status: 200, contains: []string{`"balance_cents":2500`}},
		{name: "entries", route: "GET /api/v1/wallet/entries", as: "client", path: "/api/v1/wallet/entries?limit=10", status: 200, contains: []string{`"type":"top_up"`, `"amount_cents":2500`}},
		{name: "entries of another user", route: "GET /api/v1/wallet/entries", as: "reader", status: 200, contains: []string{`"entries":[]`}},
		{name: "entries bad filters", route: "GET /api/v1/wallet/entries", as: "client", path: "/api/v1/wallet/entries?from=2026-13-45&before=-1&limit=ten", status: 400, fields: []string{"from", "before", "limit"}},

		// Adjustments (WAL-8, SEC-4).
		{name: "adjustment", route: "POST /api/v1/admin/adjustments", as: "admin", status: 201,
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"user_id": w.client.ID, "amount_cents": 500, "reason": "goodwill", "idempotency_key": "adj-1"}
			},
			check: func(t *testing.T, w *world, res apptest.Response) {
				if b := walletOf(t, w); b != 3000 {
					t.Fatalf("wallet after the credit = %d, want 3000", b)
				}
			}},
		{name: "adjustment repeated", route: "POST /api/v1/admin/adjustments", as: "admin", status: 200, unchanged: true, contains: []string{`"replayed":true`},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"user_id": w.client.ID, "amount_cents": 500, "reason": "goodwill", "idempotency_key": "adj-1"}
			}},
		{name: "adjustment without reason", route: "POST /api/v1/admin/adjustments", as: "admin", status: 400, fields: []string{"reason"},
			bodyFn: func(t *testing.T, w *world) any { return map[string]any{"user_id": w.client.ID, "amount_cents": 500} }},
		{name: "adjustment of zero", route: "POST /api/v1/admin/adjustments", as: "admin", status: 400, fields: []string{"amount_cents"},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"user_id": w.client.ID, "amount_cents": 0, "reason": "x"}
			}},
		{name: "adjustment amount is a string", route: "POST /api/v1/admin/adjustments", as: "admin", body: `{"user_id": 1, "amount_cents": "5", "reason": "x"}`, status: 400, fields: []string{"amount_cents"}},
		{name: "adjustment beyond the largest amount", route: "POST /api/v1/admin/adjustments", as: "admin", status: 400, fields: []string{"amount_cents"},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"user_id": w.client.ID, "amount_cents": ledger.MaxAmount + 1, "reason": "x"}
			}},
		{name: "adjustment of an unknown user", route: "POST /api/v1/admin/adjustments", as: "admin", body: map[string]any{"user_id": 999999, "amount_cents": 5, "reason": "x"}, status: 400, fields: []string{"user_id"}},
		{name: "debit below zero", route: "POST /api/v1/admin/adjustments", as: "admin", status: 402,
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"user_id": w.client.ID, "amount_cents": -3001, "reason": "too much"}
			}},
		{name: "adjustment by a client", route: "POST /api/v1/admin/adjustments", as: "client", status: 403,
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"user_id": w.client.ID, "amount_cents": 500, "reason": "me"}
			}},

		// An admin's credit to their own wallet waits for a second admin (WAL-8, SEC-4).
		{name: "self-credit", route: "POST /api/v1/admin/adjustments", as: "admin", status: 202, contains: []string{`"status":"pending"`, `"replayed":false`},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"user_id": w.admin.ID, "amount_cents": 700, "reason": "my expenses", "idempotency_key": "self-1"}
			},
			check: func(t *testing.T, w *world, res apptest.Response) {
				out := decode[struct {
					RequestID  int64 `json:"request_id"`
					TransferID int64 `json:"transfer_id"`
				}](t, res)
				if out.RequestID == 0 || out.TransferID != 0 || adminWallet(t, w) != 0 {
					t.Fatalf("self-credit = %+v, admin wallet %d; want a request and no money moved", out, adminWallet(t, w))
				}
				w.ids["selfcredit"] = out.RequestID
				// The second admin who decides it; made only now so that
				// the user counts of earlier scenarios hold.
				w.as["admin2"] = bearer(t, w.s, w.s.CreateUser("max@example.com", account.RoleAdmin))
			}},
		{name: "self-credit repeated", route: "POST /api/v1/admin/adjustments", as: "admin", status: 200, unchanged: true, contains: []string{`"status":"pending"`, `"replayed":true`},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"user_id": w.admin.ID, "amount_cents": 700, "reason": "my expenses", "idempotency_key": "self-1"}
			}},
		{name: "self-credit key reused for another amount", route: "POST /api/v1/admin/adjustments", as: "admin", status: 409,
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"user_id": w.admin.ID, "amount_cents": 900, "reason": "my expenses", "idempotency_key": "self-1"}
			}},
		{name: "self-credit requests", route: "GET /api/v1/admin/adjustments", as: "admin2", path: "/api/v1/admin/adjustments?status=pending", status: 200,
			contains: []string{`"reason":"my expenses"`, `"status":"pending"`, `"amount_cents":700`}},
		{name: "self-credit requests bad status", route: "GET /api/v1/admin/adjustments", as: "admin", path: "/api/v1/admin/adjustments?status=maybe", status: 400, fields: []string{"status"}},
		{name: "self-credit requests by a reader", route: "GET /api/v1/admin/adjustments", as: "reader", status: 403},
		{name: "self-credit approved by its requester", route: "POST /api/v1/admin/adjustments/{id}/decide", as: "admin", path: "/api/v1/admin/adjustments/{selfcredit}/decide",
			body: map[string]string{"decision": "approve"}, status: 403},
		{name: "self-credit decided by a client", route: "POST /api/v1/admin/adjustments/{id}/decide", as: "client", path: "/api/v1/admin/adjustments/{selfcredit}/decide",
			body: map[string]string{"decision": "approve"}, status: 403},
		{name: "self-credit unknown decision", route: "POST /api/v1/admin/adjustments/{id}/decide", as: "admin2", path: "/api/v1/admin/adjustments/{selfcredit}/decide",
			body: map[string]string{"decision": "maybe"}, status: 400, fields: []string{"decision"}},
		{name: "self-credit unknown request", route: "POST /api/v1/admin/adjustments/{id}/decide", as: "admin2", path: "/api/v1/admin/adjustments/999999/decide",
			body: map[string]string{"decision": "approve"}, status: 404},
		{name: "self-credit approved", route: "POST /api/v1/admin/adjustments/{id}/decide", as: "admin2", path: "/api/v1/admin/adjustments/{selfcredit}/decide",
			body: map[string]string{"decision": "approve"}, status: 200, contains: []string{`"status":"approved"`, `"transfer_id":`},
			check: func(t *testing.T, w *world, res apptest.Response) {
				if b := adminWallet(t, w); b != 700 {
					t.Fatalf("admin wallet after approval = %d, want 700", b)
				}
			}},
		{name: "self-credit approved twice", route: "POST /api/v1/admin/adjustments/{id}/decide", as: "admin2", path: "/api/v1/admin/adjustments/{selfcredit}/decide",
			body: map[string]string{"decision": "approve"}, status: 200, unchanged: true, contains: []string{`"status":"approved"`}},
		{name: "self-credit rejected after approval", route: "POST /api/v1/admin/adjustments/{id}/decide", as: "admin2", path: "/api/v1/admin/adjustments/{selfcredit}/decide",
			body: map[string]string{"decision": "reject"}, status: 409},

		// Refunds (WAL-7, SEC-4).
		{name: "card refund", route: "POST /api/v1/admin/refunds", as: "admin", status: 201,
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"kind": "card", "topup_id": w.ids["topup"], "amount_cents": 1000, "reason": "unhappy"}
			},
			check: func(t *testing.T, w *world, res apptest.Response) {
				ref := decode[struct {
					ID     int64  `json:"id"`
					Status string `json:"status"`
				}](t, res)
				if ref.ID == 0 || ref.Status != payment.RefundPending || walletOf(t, w) != 2000 {
					t.Fatalf("refund = %+v, wallet %d", ref, walletOf(t, w))
				}
				w.ids["refund"] = ref.ID
				settled(t, w, ref.ID) // the job sends it now, not in the middle of a later scenario
			}},
		{name: "refund of an unknown kind", route: "POST /api/v1/admin/refunds", as: "admin", body: map[string]any{"kind": "cash", "reason": "x"}, status: 400, fields: []string{"kind"}},
		{name: "refund without reason", route: "POST /api/v1/admin/refunds", as: "admin", status: 400, fields: []string{"reason"},
			bodyFn: func(t *testing.T, w *world) any { return map[string]any{"kind": "card", "topup_id": w.ids["topup"]} }},
		{name: "refund amount negative", route: "POST /api/v1/admin/refunds", as: "admin", status: 400, fields: []string{"amount_cents"},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"kind": "card", "topup_id": w.ids["topup"], "amount_cents": -5, "reason": "x"}
			}},
		{name: "refund above what is left", route: "POST /api/v1/admin/refunds", as: "admin", status: 400, fields: []string{"amount_cents"},
			bodyFn: func(t *testing.T, w *world) any {
				return map[string]any{"kind": "card", "topup_id": w.ids["topup"], "amount_cents": 2000, "reason": "x"}
			}},
		{name: "refund amount is a string", route: "POST /api/v1/admin/refunds", as: "admin", body: `{"kind": "card", "topup_id": 1, "amount_cents": "10", "reason": "x"}`, status: 400, fields: []string{"amount_cents"}},
		{name: "refund of an unknown top-up", route: "POST /api/v1/admin/refunds", as: "admin", body: map[string]any{"kind": "card", "topup_id": 999999, "reason": "x"}, status: 404},
		{name: "refunds", route: "GET /api/v1/admin/refunds", as: "admin", status: 200, contains: []string{`"kind":"card"`, `"reason":"unhappy"`}},
		{name: "refund not in review", route: "POST /api/v1/admin/refunds/{id}/resolve", as: "admin", path: "/api/v1/admin/refunds/{refund}/resolve", status: 409,
			body: map[string]string{"action": "reverse"}},
		{name: "refund resolved", route: "POST /api/v1/admin/refunds/{id}/resolve", as: "admin", path: "/api/v1/admin/refunds/{refund}/resolve", status: 200,
			contains: []string{`"status":"failed"`},
			bodyFn: func(t *testing.T, w *world) any {
				if _, err := w.s.App.DB.Writer.ExecContext(ctx, `UPDATE refunds SET status = 'review' WHERE id = $1`, w.ids["refund"]); err != nil {
					t.Fatal(err)
				}
				return map[string]string{"action": "reverse"}
			},
			check: func(t *testing.T, w *world, res apptest.Response) {
				if b := walletOf(t, w); b != 3000 {
					t.Fatalf("wallet after reversing the refund = %d, want 3000", b)
				}
			}},
		{name: "refund resolve unknown action", route: "POST /api/v1/admin/refunds/{id}/resolve", as: "admin", path: "/api/v1/admin/refunds/{refund}/resolve", body: map[string]string{"action": "shrug"}, status: 400, fields: []string{"action"}},
		{name: "refund resolve unknown refund", route: "POST /api/v1/admin/refunds/{id}/resolve", as: "admin", path: "/api/v1/admin/refunds/999999/resolve", body: map[string]string{"action": "retry"}, status: 404},

		// Reconciliation (WAL-9).
		{name: "reconciliation", route: "GET /api/v1/admin/reconciliation", as: "admin", path: "/api/v1/admin/reconciliation?month=" + time.Now().UTC().Format("2006-01"), status: 200, contains: []string{`"ledger_count":1`, `"ledger_cents":2500`}},
		{name: "reconciliation bad month", route: "GET /api/v1/admin/reconciliation", as: "admin", path: "/api/v1/admin/reconciliation?month=2026-13", status: 400, fields: []string{"month"}},
	}
}

// walletOf is the scenario client's wallet balance.
func walletOf(t *testing.T, w *world) int64 {
	t.Helper()
	return walletBalance(t, w, w.client.ID)
}

// adminWallet is the scenario admin's wallet balance.
func adminWallet(t *testing.T, w *world) int64 {
	t.Helper()
	return walletBalance(t, w, w.admin.ID)
}

func walletBalance(t *testing.T, w *world, userID int64) int64 {
	t.Helper()
	b, err := w.s.App.Ledger.Balance(ctx, w.s.App.DB.Read(), ledger.Wallet(userID))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// settled waits (up to 20 s) for the app's job queue to send a card
// refund to the test-mode gateway.
func settled(t *testing.T, w *world, id int64) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ref, err := w.s.App.Payments.Refund(ctx, id)
		if err == nil && ref.Status != payment.RefundPending {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("refund %d still %q (%v)", id, ref.Status, err)
		}
	}
}
