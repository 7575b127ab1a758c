package web

// RouteInfo is one entry of the route table as tests outside the package
// see it.
type RouteInfo struct {
	Method  string
	Pattern string
	Access  string // "public", "signedIn", "readers", "admins"
	API     bool
}

// RouteTable returns s's route table, so tests can iterate every route
// (the authorisation matrix, the OpenAPI check).
func RouteTable(s *Server) []RouteInfo {
	names := map[access]string{public: "public", signedIn: "signedIn", readers: "readers", admins: "admins"}
	var out []RouteInfo
	for _, rt := range s.routes {
		name, ok := names[rt.access]
		if !ok {
			name = "unknown"
		}
		out = append(out, RouteInfo{Method: rt.method, Pattern: rt.pattern, Access: name, API: rt.api})
	}
	return out
}
