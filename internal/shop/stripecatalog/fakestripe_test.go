package stripecatalog_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

// fakeStripe is a stateful stand-in for the Stripe endpoints the catalogue
// uses, on 127.0.0.1: products listed in pages of pageSize, products that
// are gone, and coupons and promotion codes that honour idempotency keys.
type fakeStripe struct {
	URL string

	mu       sync.Mutex
	pageSize int
	products []map[string]any
	gone     map[string]bool
	// failCodes makes that many next promotion code creations fail with a
	// 500 that Stripe marks as not worth retrying at once.
	failCodes int
	// refuseCode, when its type is set, is the 400 error every promotion
	// code creation answers.
	refuseCode stripeRefusal

	requests []fakeRequest
	objects  map[string]string // "path idempotency key" → created id
	created  map[string]int    // path → objects created
}

// stripeRefusal is the body of a Stripe 400 error.
type stripeRefusal struct{ Type, Param, Msg string }

// fakeRequest is one request the fake received.
type fakeRequest struct {
	Method, Path   string
	Query, Form    url.Values
	IdempotencyKey string
}

func newFakeStripe(t *testing.T, pageSize int, products ...map[string]any) *fakeStripe {
	f := &fakeStripe{pageSize: pageSize, products: products, gone: map[string]bool{}, objects: map[string]string{}, created: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// setProduct replaces (or adds) the product with p's id.
func (f *fakeStripe) setProduct(p map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i := slices.IndexFunc(f.products, func(q map[string]any) bool { return q["id"] == p["id"] }); i >= 0 {
		f.products[i] = p
		return
	}
	f.products = append(f.products, p)
}

// remove deletes the product, as deleting it in Stripe's dashboard does.
func (f *fakeStripe) remove(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.products = slices.DeleteFunc(f.products, func(q map[string]any) bool { return q["id"] == id })
	f.gone[id] = true
}

// received returns the requests so far with the given method and path.
func (f *fakeStripe) received(method, path string) []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeRequest
	for _, r := range f.requests {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// count returns the number of objects created at path.
func (f *fakeStripe) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.created[path]
}

func (f *fakeStripe) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, fakeRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Form: r.PostForm, IdempotencyKey: r.Header.Get("Idempotency-Key")})
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == "GET" && r.URL.Path == "/v1/products":
		start := 0
		if after := r.URL.Query().Get("starting_after"); after != "" {
			start = slices.IndexFunc(f.products, func(q map[string]any) bool { return q["id"] == after }) + 1
		}
		end := min(start+f.pageSize, len(f.products))
		writeJSON(w, http.StatusOK, map[string]any{"object": "list", "url": "/v1/products", "data": f.products[start:end], "has_more": end < len(f.products)})
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/v1/products/"):
		id := strings.TrimPrefix(r.URL.Path, "/v1/products/")
		if i := slices.IndexFunc(f.products, func(q map[string]any) bool { return q["id"] == id }); i >= 0 {
			writeJSON(w, http.StatusOK, f.products[i])
			return
		}
		writeStripeError(w, http.StatusNotFound, "invalid_request_error", "id", fmt.Sprintf("No such product: '%s'", id))
	case r.Method == "POST" && r.URL.Path == "/v1/coupons":
		id := f.create(r, "co_")
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "object": "coupon", "duration": r.PostForm.Get("duration")})
	case r.Method == "POST" && r.URL.Path == "/v1/promotion_codes":
		if f.refuseCode.Type != "" {
			writeStripeError(w, http.StatusBadRequest, f.refuseCode.Type, f.refuseCode.Param, f.refuseCode.Msg)
			return
		}
		if f.failCodes > 0 {
			f.failCodes--
			w.Header().Set("Stripe-Should-Retry", "false")
			writeStripeError(w, http.StatusInternalServerError, "api_error", "", "Something went wrong.")
			return
		}
		id := f.create(r, "promo_")
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "object": "promotion_code", "code": r.PostForm.Get("code")})
	default:
		writeStripeError(w, http.StatusNotFound, "invalid_request_error", "", "Unrecognized request URL")
	}
}

// create returns the id of the object created under the request's
// idempotency key, creating it the first time the key is seen.
func (f *fakeStripe) create(r *http.Request, prefix string) string {
	key := r.URL.Path + " " + r.Header.Get("Idempotency-Key")
	if id, ok := f.objects[key]; ok {
		return id
	}
	f.created[r.URL.Path]++
	id := fmt.Sprintf("%s%d", prefix, f.created[r.URL.Path])
	f.objects[key] = id
	return id
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeStripeError(w http.ResponseWriter, status int, typ, param, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"type": typ, "param": param, "message": msg}})
}

// stripeProduct is a Stripe product object with defaultPrice (nil: none).
func stripeProduct(id, name string, active bool, updated int64, metadata map[string]string, defaultPrice map[string]any) map[string]any {
	p := map[string]any{
		"id": id, "object": "product", "name": name, "description": name + " description",
		"active": active, "updated": updated, "metadata": metadata,
		"images": []string{"https://files.example/" + id + ".png"}, "default_price": nil,
	}
	if defaultPrice != nil {
		p["default_price"] = defaultPrice
	}
	return p
}

// stripePrice is a Stripe price object of the given type ("one_time" or
// "recurring").
func stripePrice(id, productID, typ string, cents int64, currency string) map[string]any {
	return map[string]any{"id": id, "object": "price", "product": productID, "type": typ, "unit_amount": cents, "currency": currency, "active": true}
}
