// Package api holds the OpenAPI document of the JSON API under /api/v1, the
// one contract that the handlers, the tests and the generated Go client
// (internal/apiclient) share.
package api

import _ "embed"

// Document is the OpenAPI 3.1 document of /api/v1. Every /api/v1 route has
// an operation in it, and every API response the tests see must match it
// (SEC-6).
//
//go:embed openapi.json
var Document []byte
