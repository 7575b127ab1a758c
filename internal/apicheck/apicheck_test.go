package apicheck

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const (
	wallet   = `{"balance_cents": 1200, "held_cents": 0, "currency": "usd"}`
	jsonType = "application/json"
	problem  = "application/problem+json"
)

func problemBody(status int, code string) string {
	return fmt.Sprintf(`{"type": "https://soulseer.app/problems/%s", "title": "t", "status": %d, "detail": "d", "code": %q, "instance": "/api/v1/x"}`,
		code, status, code)
}

// SEC-6: the checker accepts what the document allows and names what it
// does not: undocumented statuses, missing and undocumented fields, wrong
// types and media types, and successful requests the document forbids.
func TestCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, method, path, reqBody string
		status                      int
		contentType, body           string
		want                        string // "" for no mismatch, else a part of the reason
	}{
		{"documented answer", "GET", "/api/v1/wallet", "", 200, jsonType, wallet, ""},
		{"documented problem", "GET", "/api/v1/wallet", "", 401, problem, problemBody(401, "unauthorized"), ""},
		{"undocumented status", "GET", "/api/v1/wallet", "", 409, problem, problemBody(409, "conflict"), "status is not supported"},
		{"missing required field", "GET", "/api/v1/wallet", "", 200, jsonType, `{"balance_cents": 1, "currency": "usd"}`, "held_cents"},
		{"undocumented field", "GET", "/api/v1/wallet", "", 200, jsonType, `{"balance_cents": 1, "held_cents": 0, "currency": "usd", "secret": 1}`, "secret"},
		{"wrong type", "GET", "/api/v1/wallet", "", 200, jsonType, `{"balance_cents": "1", "held_cents": 0, "currency": "usd"}`, "balance_cents"},
		{"not a whole number", "GET", "/api/v1/readers/7/queue", "", 200, jsonType, `{"position": 1.5}`, "position"},
		{"problem as plain text", "GET", "/api/v1/wallet", "", 500, "text/plain; charset=utf-8", "internal error", "text/plain"},
		{"problem missing its code", "GET", "/api/v1/wallet", "", 401, problem, `{"type": "x", "title": "t", "status": 401, "detail": "d"}`, "code"},
		{"successful request the document forbids", "POST", "/api/v1/wallet/topups", `{"amount_cents": 500, "extra": true}`, 201, jsonType,
			`{"id": 1, "amount_cents": 500, "currency": "usd", "status": "pending", "mode": "test", "checkout_session_id": "cs", "checkout_url": "/x", "credited_cents": 0, "refunded_cents": 0, "created_at": "2026-11-30T10:00:00Z"}`,
			"extra"},
		{"refused request the document forbids", "POST", "/api/v1/wallet/topups", `{"amount_cents": 500, "extra": true}`, 400, problem, problemBody(400, "invalid"), ""},
		{"refused request to no operation", "GET", "/api/v1/nowhere", "", 404, problem, problemBody(404, "not_found"), ""},
		{"method without an operation", "PATCH", "/api/v1/wallet", "", 404, problem, problemBody(404, "not_found"), ""},
		{"answer to no operation", "GET", "/api/v1/nowhere", "", 200, jsonType, `{}`, "no operation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, "http://127.0.0.1:1"+tc.path, nil)
			if tc.reqBody != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			err := check(exchange{request: req, requestBody: []byte(tc.reqBody), status: tc.status,
				header: http.Header{"Content-Type": {tc.contentType}}, body: []byte(tc.body)})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("mismatch reported: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("no mismatch reported; want one naming %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("mismatch %q does not name %q", err, tc.want)
			}
		})
	}
}

// SEC-6: the transport (on a client) and the handler (on a server) check
// /api/v1 exchanges only, fail the test once for each mismatch with its
// request and status, and leave both bodies whole for the server and the
// caller.
func TestTransportAndHandler(t *testing.T) {
	t.Parallel()
	for _, side := range []string{"transport", "handler"} {
		t.Run(side, func(t *testing.T) {
			t.Parallel()
			rec := &failures{TB: t}
			if side == "transport" {
				checkSide(t, rec, Transport(rec, nil), func(h http.Handler) http.Handler { return h })
			} else {
				checkSide(t, rec, nil, func(h http.Handler) http.Handler { return Handler(rec, h) })
			}
		})
	}
}

func checkSide(t *testing.T, rec *failures, transport http.RoundTripper, wrap func(http.Handler) http.Handler) {
	var gotBody string
	srv := httptest.NewServer(wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"balance_cents": "lots"}`))
	})))
	defer srv.Close()
	client := &http.Client{Transport: transport}

	for _, path := range []string{"/healthz", "/api/v1/wallet"} {
		res, err := client.Post(srv.URL+path, "application/json", strings.NewReader(`{"sent": 1}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(body) != `{"balance_cents": "lots"}` || gotBody != `{"sent": 1}` {
			t.Fatalf("%s: the caller read %q and the server %q", path, body, gotBody)
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/ws", nil)
	req.Header.Set("Upgrade", "websocket")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	if len(rec.errors) != 1 || !strings.HasPrefix(rec.errors[0], "POST /api/v1/wallet answered 200, ") {
		t.Fatalf("errors = %q; want one for POST /api/v1/wallet", rec.errors)
	}
}

// failures keeps the errors a test would have failed with.
type failures struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *failures) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
