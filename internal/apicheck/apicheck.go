// Package apicheck holds every API exchange in the tests to the OpenAPI
// document of /api/v1 (SEC-6), on the server the tests start (Handler) or
// on a test's client (Transport): the response must be one the document
// lists for its operation — status, media type and body — and the request
// of a successful exchange must be one the document allows. The document
// is loaded and validated once per test binary.
package apicheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/soulseer/soulseer/internal/web/api"
)

// prefix is the path under which exchanges are held to the document.
const prefix = "/api/v1/"

// Transport sends requests through next (http.DefaultTransport when nil)
// and fails t, naming the request, its status and the reason, on every
// /api/v1 exchange that does not follow the document. A test's HTTP client
// uses it so that no API response in the suite escapes the check.
func Transport(t testing.TB, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return checked{next: next, t: t}
}

type checked struct {
	next http.RoundTripper
	t    testing.TB
}

// RoundTrip sends req, reads the whole answer and checks the exchange.
func (c checked) RoundTrip(req *http.Request) (*http.Response, error) {
	if !inScope(req) {
		return c.next.RoundTrip(req)
	}
	var sent []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		if sent, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(sent))
	}
	res, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	got, err := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(got))
	if err != nil {
		return res, nil // the caller sees the cut-off body and fails on it
	}
	report(c.t, check(exchange{request: req, requestBody: sent, status: res.StatusCode, header: res.Header, body: got}), req, res.StatusCode)
	return res, nil
}

// Handler serves requests with next and fails t, as Transport does, on
// every /api/v1 exchange that does not follow the document, whoever sent
// it: a test's client or a browser under test.
func Handler(t testing.TB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !inScope(r) {
			next.ServeHTTP(w, r)
			return
		}
		var sent bytes.Buffer
		if r.Body != nil {
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.TeeReader(r.Body, &sent), r.Body}
		}
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		report(t, check(exchange{request: r, requestBody: sent.Bytes(), status: rec.status, header: w.Header(), body: rec.body.Bytes()}), r, rec.status)
	})
}

// recorder copies what a handler writes.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// inScope tells whether r's exchange is held to the document: /api/v1
// requests other than WebSocket upgrades.
func inScope(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, prefix) && !strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// report fails t with the mismatch of r's exchange, if there is one.
func report(t testing.TB, err error, r *http.Request, status int) {
	if err != nil {
		t.Errorf("%s %s answered %d, which the OpenAPI document does not allow: %v", r.Method, r.URL.RequestURI(), status, err)
	}
}

// exchange is one request a test sent and the answer it got.
type exchange struct {
	request     *http.Request // method, URL and headers as sent; its body is not read
	requestBody []byte
	status      int
	header      http.Header
	body        []byte
}

// contract is the loaded document, ready to match requests to operations.
type contract struct {
	router  routers.Router
	problem *openapi3.Schema
}

var load = sync.OnceValues(func() (*contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Document)
	if err != nil {
		return nil, fmt.Errorf("apicheck: load openapi.json: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("apicheck: openapi.json is not a valid OpenAPI document: %w", err)
	}
	// Tests call the app on a random local port; operations are matched by
	// path alone rather than through the document's relative server URL.
	doc.Servers = nil
	closeObjects(doc)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("apicheck: %w", err)
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil || problem.Value == nil {
		return nil, errors.New("apicheck: openapi.json has no Problem schema")
	}
	return &contract{router: router, problem: problem.Value}, nil
})

// closeObjects makes every object schema of a response refuse properties
// it does not list, so a field the code sends but the document does not
// describe fails the tests. The published document leaves them open, so
// clients keep working when a field is added.
func closeObjects(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if s.Type.Is(openapi3.TypeObject) && len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			no := false
			s.AdditionalProperties.Has = &no
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, group := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
			for _, sub := range group {
				walk(sub)
			}
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, res := range op.Responses.Map() {
				if res.Value == nil {
					continue
				}
				for _, mt := range res.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
}

// check returns why x does not follow the document, or nil when it does.
// A path the document does not describe must still answer a problem
// document.
func check(x exchange) error {
	c, err := load()
	if err != nil {
		return err
	}
	ctx := context.Background()
	req := x.request.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(x.requestBody))
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return c.checkProblem(x)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	res := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.status, Header: x.header, Options: opts}
	res.SetBodyBytes(x.body)
	if err := openapi3filter.ValidateResponse(ctx, res); err != nil {
		return fmt.Errorf("response does not match the document: %w", err)
	}
	// Tests of bad input send requests the document forbids on purpose, so
	// only requests that succeeded are held to it.
	if x.status >= 200 && x.status < 300 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("request succeeded but the document does not allow it: %w", err)
		}
	}
	return nil
}

// checkProblem checks the answer to a request no operation describes: it
// must be a refusal as a problem document.
func (c *contract) checkProblem(x exchange) error {
	if x.status < 400 {
		return fmt.Errorf("answered %d to a request the document has no operation for", x.status)
	}
	if ct := x.header.Get("Content-Type"); ct != "application/problem+json" {
		return fmt.Errorf("refusal of a request the document has no operation for is %q, not application/problem+json", ct)
	}
	var v any
	if err := json.Unmarshal(x.body, &v); err != nil {
		return fmt.Errorf("problem document: %w", err)
	}
	if err := c.problem.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()); err != nil {
		return fmt.Errorf("problem document does not match the Problem schema: %w", err)
	}
	return nil
}
