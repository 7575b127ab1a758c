package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/apperr"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 64 << 10

// decodeJSON reads one JSON object from the request body into dst. Anything
// that is not exactly one well-formed object of the right shape — wrong media
// type, oversized or empty body, text that is not UTF-8 (which the JSON
// decoder would silently replace), malformed JSON, a field of the wrong
// type, an unknown field, trailing data — is an apperr error naming the
// problem, never a panic or a 500.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return apperr.Errorf(apperr.Unsupported, "Send the request body as application/json.")
		}
	}
	return decodeJSONBody(http.MaxBytesReader(w, r.Body, maxJSONBody), dst)
}

// decodeJSONBody is the body-decoding half of decodeJSON, separate so it can
// be fuzzed without HTTP plumbing.
func decodeJSONBody(body io.Reader, dst any) error {
	b, err := io.ReadAll(body)
	if err != nil {
		return jsonError(err)
	}
	if !utf8.Valid(b) {
		return apperr.Errorf(apperr.Invalid, "The request body is not valid UTF-8 text.")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.Errorf(apperr.Invalid, "The request body must hold a single JSON object.")
	}
	return nil
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return apperr.Errorf(apperr.TooLarge, "The request body is larger than %d KiB.", maxJSONBody>>10)
	case errors.Is(err, io.EOF):
		return apperr.Errorf(apperr.Invalid, "The request body is empty; send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Errorf(apperr.Invalid, "The request body ends in the middle of the JSON.")
	case errors.As(err, &syntax):
		return apperr.Errorf(apperr.Invalid, "The request body is not valid JSON (at byte %d).", syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return apperr.Errorf(apperr.Invalid, "The request body must be a JSON object.")
		}
		return &apperr.Error{Code: apperr.Invalid, Message: "A field has the wrong type.",
			Fields: map[string]string{field: fmt.Sprintf("Must be %s, not %s.", jsonTypeName(typ.Type.String()), typ.Value)}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		const msg = "The request has a field this endpoint does not take."
		name, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil || name == "" {
			return apperr.Errorf(apperr.Invalid, msg)
		}
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{name: "Unknown field."}}
	}
	return apperr.Errorf(apperr.Invalid, "The request body could not be read as JSON.")
}

func jsonTypeName(goType string) string {
	switch {
	case strings.Contains(goType, "int"):
		return "a whole number"
	case strings.Contains(goType, "float"):
		return "a number"
	case strings.Contains(goType, "string"):
		return "a string"
	case strings.Contains(goType, "bool"):
		return "true or false"
	case strings.HasPrefix(goType, "[]") || strings.HasPrefix(goType, "*[]"):
		return "an array"
	}
	return "an object"
}
