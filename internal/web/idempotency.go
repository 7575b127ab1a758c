package web

import "github.com/soulseer/soulseer/internal/apperr"

// idempotencyHeader names an API request that must take effect once:
// sending it again with the same key answers what the first did.
const idempotencyHeader = "Idempotency-Key"

// keyAsHeader renames the field a service names its request key with in
// a validation error to the header the key came in, which is what the
// caller sent.
func keyAsHeader(err error, field string) {
	if e := apperr.As(err); e != nil && e.Fields != nil {
		if msg, ok := e.Fields[field]; ok {
			delete(e.Fields, field)
			e.Fields[idempotencyHeader] = msg
		}
	}
}
