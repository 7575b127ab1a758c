package crashtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/apicheck"
)

// Client is one signed-in identity talking to whichever process is running.
type Client struct {
	http *http.Client
}

// NewClient returns a client with its own cookie jar and a short timeout, so
// requests to a killed process fail fast. An /api/v1 answer that does not
// follow the OpenAPI document fails t (SEC-6).
func NewClient(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{http: &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: apicheck.Transport(t, nil),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Do sends a JSON request to base+path; headers are name/value pairs. A
// network error (the process died mid-request) returns status 0.
func (c *Client) Do(method, url string, body any, headers ...string) (int, []byte) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, _ := json.Marshal(b)
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil
	}
	return res.StatusCode, b
}

// Header returns the request headers that carry c's session to base, for
// connections made outside its HTTP client (WebSockets).
func (c *Client) Header(base string) http.Header {
	h := http.Header{}
	u, err := url.Parse(base)
	if err != nil {
		return h
	}
	for _, ck := range c.http.Jar.Cookies(u) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	return h
}
