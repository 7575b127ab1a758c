package web

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/soulseer/soulseer/internal/web/api"
)

// openAPIParam is a parameter of an operation, or a reference to one.
type openAPIParam struct {
	Ref      string `json:"$ref"`
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
}

type openAPIOperation struct {
	Summary    string                     `json:"summary"`
	Parameters []openAPIParam             `json:"parameters"`
	Responses  map[string]json.RawMessage `json:"responses"`
}

var (
	routeParam  = regexp.MustCompile(`\{([^}.$]+)(\.\.\.)?\}`)
	httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}
)

// openAPIPath turns a route pattern into its OpenAPI path: {id} stays,
// {name...} becomes {name}, {$} goes.
func openAPIPath(pattern string) string {
	return routeParam.ReplaceAllString(strings.ReplaceAll(pattern, "{$}", ""), "{$1}")
}

// OPS-1 (the API contract of issue 2): the OpenAPI document is valid JSON
// with openapi 3.1.0; every /api/v1 route in the route table has an
// operation (method and path, {id}-style parameters declared as path
// parameters, at least one response) and every documented operation is a
// route.
func TestOpenAPIDocumentMatchesRoutes(t *testing.T) {
	t.Parallel()
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Info       struct{ Title, Version string }       `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Parameters map[string]openAPIParam `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.Document, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Fatalf("openapi %q, info %+v; want 3.1.0 with a title and version", doc.OpenAPI, doc.Info)
	}

	inTable := map[string]bool{}
	for _, rt := range (&Server{}).routeTable() {
		if !strings.HasPrefix(rt.pattern, "/api/v1/") {
			continue
		}
		if !rt.api {
			t.Errorf("%s %s is under /api/v1 but answers errors as HTML", rt.method, rt.pattern)
		}
		path, method := openAPIPath(rt.pattern), strings.ToLower(rt.method)
		inTable[method+" "+path] = true
		raw, ok := doc.Paths[path][method]
		if !ok {
			t.Errorf("%s %s has no operation in internal/web/api/openapi.json", rt.method, path)
			continue
		}
		var op openAPIOperation
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Errorf("%s %s: %v", rt.method, path, err)
			continue
		}
		if op.Summary == "" || len(op.Responses) == 0 {
			t.Errorf("%s %s: operation without summary or responses", rt.method, path)
		}
		params := op.Parameters
		if raw, ok := doc.Paths[path]["parameters"]; ok {
			var shared []openAPIParam
			if err := json.Unmarshal(raw, &shared); err != nil {
				t.Errorf("%s: path parameters: %v", path, err)
			}
			params = append(params, shared...)
		}
		for i, p := range params {
			if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
				params[i] = doc.Components.Parameters[name]
			}
		}
		for _, m := range routeParam.FindAllStringSubmatch(rt.pattern, -1) {
			if !slices.ContainsFunc(params, func(p openAPIParam) bool { return p.Name == m[1] && p.In == "path" && p.Required }) {
				t.Errorf("%s %s: path parameter %q is not declared (in: path, required)", rt.method, path, m[1])
			}
		}
	}
	for path, item := range doc.Paths {
		if !strings.HasPrefix(path, "/api/v1/") {
			t.Errorf("documented path %s is outside /api/v1", path)
		}
		for key := range item {
			if slices.Contains(httpMethods, key) && !inTable[key+" "+path] {
				t.Errorf("documented %s %s is not in the route table", strings.ToUpper(key), path)
			}
		}
	}
}

// operationIDPattern is a lowerCamel operationId.
var operationIDPattern = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

// SEC-6: the document is a valid OpenAPI document whose every operation
// has a unique lowerCamel operationId (the generated client's method
// names), every 2xx JSON response a schema with properties, every request
// and response body a schema, and every error response a problem document.
func TestOpenAPIOperationsAreComplete(t *testing.T) {
	t.Parallel()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Document)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	problem := doc.Components.Schemas["Problem"]
	ids := map[string]string{}
	ops := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops++
			where := method + " " + path
			switch other, dup := ids[op.OperationID]; {
			case !operationIDPattern.MatchString(op.OperationID):
				t.Errorf("%s: operationId %q is not lowerCamel", where, op.OperationID)
			case dup:
				t.Errorf("%s: operationId %q is also %s's", where, op.OperationID, other)
			}
			ids[op.OperationID] = where
			if op.RequestBody != nil {
				for mt, media := range op.RequestBody.Value.Content {
					if media.Schema == nil {
						t.Errorf("%s: request body %s has no schema", where, mt)
					}
				}
			}
			for code, res := range op.Responses.Map() {
				for mt, media := range res.Value.Content {
					if media.Schema == nil {
						t.Errorf("%s %s: %s body has no schema", where, code, mt)
					}
				}
				status, err := strconv.Atoi(code)
				switch {
				case err != nil:
					t.Errorf("%s: response %q is not a status (a default would let any status pass)", where, code)
				case status >= 200 && status < 300:
					if media := res.Value.Content.Get("application/json"); media != nil && (media.Schema == nil || len(media.Schema.Value.Properties) == 0) {
						t.Errorf("%s %s: JSON body without a schema with properties", where, code)
					}
				case status >= 400:
					if media := res.Value.Content.Get("application/problem+json"); len(res.Value.Content) != 1 || media == nil || media.Schema == nil || media.Schema.Value != problem.Value {
						t.Errorf("%s %s: error response is not an application/problem+json Problem", where, code)
					}
				}
			}
		}
	}
	if ops < 50 {
		t.Fatalf("only %d operations in the document", ops)
	}
}
