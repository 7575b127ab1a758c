package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/forum"
)

// forumSearchPage is the data of the forum's search page.
type forumSearchPage struct {
	Page
	Query  string
	Hits   []forum.Hit
	Errors map[string]string
}

// forumSearchShow finds forum posts holding every word searched for in
// their text or their thread's title, best first (COM-2); a search too
// long is refused beside the box.
func (s *Server) forumSearchShow(w http.ResponseWriter, r *http.Request) error {
	p := forumSearchPage{Page: s.page(w, r, "Search the forum"), Query: r.URL.Query().Get("q")}
	hits, err := s.Forum.Search(r.Context(), p.Query)
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		p.Errors = e.Fields
		return s.render(w, http.StatusBadRequest, "forum_search", p)
	}
	if err != nil {
		return err
	}
	p.Hits = hits
	return s.render(w, http.StatusOK, "forum_search", p)
}
