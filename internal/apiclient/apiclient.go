// Package apiclient is a Go client of SoulSeer's JSON API under /api/v1,
// generated from the OpenAPI document (internal/web/api/openapi.json) with
// the oapi-codegen version pinned in go.mod. It is never edited by hand:
// after changing the document, run go generate ./internal/apiclient; a test
// fails while the committed client differs from what the document produces.
package apiclient

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi-codegen.yaml ../web/api/openapi.json
