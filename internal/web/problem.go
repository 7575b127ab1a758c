package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
)

// statusOf maps an error code to its HTTP status. This is the only place
// where that mapping lives.
func statusOf(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Gone:
		return http.StatusGone
	case apperr.Unprocessable:
		return http.StatusUnprocessableEntity
	case apperr.InsufficientFunds, apperr.PaymentRequired:
		return http.StatusPaymentRequired
	case apperr.RateLimited:
		return http.StatusTooManyRequests
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.Unsupported:
		return http.StatusUnsupportedMediaType
	case apperr.MethodNotAllowed:
		return http.StatusMethodNotAllowed
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// problemTypes is the base of every problem document's type.
const problemTypes = "https://soulseer.app/problems/"

// problem is an RFC 9457 problem details document.
type problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail"`
	Code     apperr.Code       `json:"code"`
	Instance string            `json:"instance,omitempty"`
	Errors   map[string]string `json:"errors,omitempty"`
}

// writeProblem answers an API request with application/problem+json. Internal
// errors are logged with their detail (and reported, see serverFault) and
// shown with a generic message.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	code := apperr.CodeOf(err)
	status := statusOf(code)
	s.serverFault(r, status, code, err)
	p := problem{
		Type:     problemTypes + string(code),
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   apperr.MessageOf(err),
		Code:     code,
		Instance: r.URL.Path,
	}
	if e := apperr.As(err); e != nil {
		p.Errors = e.Fields
		if e.Problem != "" {
			p.Type = problemTypes + e.Problem
		}
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON answers with a JSON document.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// errNotFoundRoute answers requests that match no route.
var errNotFoundRoute = apperr.Errorf(apperr.NotFound, "There is nothing at this address.")
