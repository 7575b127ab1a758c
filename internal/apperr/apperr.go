// Package apperr defines the one error type SoulSeer uses to tell a caller
// what went wrong. Domain packages return *Error values with a Code; the web
// layer maps each Code to an HTTP status in one place. Users see Message;
// logs keep the wrapped cause.
package apperr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Code classifies an error for the caller. Each code maps to exactly one HTTP
// status in the web layer.
type Code string

// The error codes. Anything that is not an *Error is Internal.
const (
	Invalid           Code = "invalid"            // the request is malformed or fails validation
	Unauthorized      Code = "unauthorized"       // no valid session or token
	Forbidden         Code = "forbidden"          // signed in, but not allowed
	NotFound          Code = "not_found"          // the object does not exist (or is invisible to the caller)
	Conflict          Code = "conflict"           // the request conflicts with the current state
	Gone              Code = "gone"               // it existed but is no longer available (an expired link)
	Unprocessable     Code = "unprocessable"      // well formed, but not something that can be done (a time outside a reader's availability)
	InsufficientFunds Code = "insufficient_funds" // the wallet cannot cover the amount
	PaymentRequired   Code = "payment_required"   // what is asked for must be paid for first (a premium stream's ticket)
	RateLimited       Code = "rate_limited"       // too many requests; see RetryAfter
	TooLarge          Code = "too_large"          // the request body exceeds its limit
	Unsupported       Code = "unsupported"        // the request's media type is not accepted
	MethodNotAllowed  Code = "method_not_allowed" // the address does not take the request's method
	Unavailable       Code = "unavailable"        // a dependency is not configured or reachable
	Internal          Code = "internal"           // a bug or an unexpected failure
)

// Error is an error a user can be shown. Fields holds per-field validation
// messages (field name → message) for Invalid errors. Problem, when set,
// names a more precise kind than Code for API clients to act on (such as
// "two-factor-required"); it never changes the HTTP status.
type Error struct {
	Code       Code
	Message    string
	Fields     map[string]string
	RetryAfter time.Duration
	Problem    string
}

// Error returns the message, followed by the field errors in field order.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Validation returns an Invalid error carrying per-field messages, or nil when
// fields is empty, so callers can build the map and return the result.
func Validation(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "Please correct the highlighted fields.", Fields: fields}
}

// CodeOf returns the code of the first *Error in err's chain, Internal for any
// other non-nil error, and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// MessageOf returns the user-facing message of err; internal errors get a
// generic message so no detail leaks to users.
func MessageOf(err error) string {
	if e := As(err); e != nil {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}
