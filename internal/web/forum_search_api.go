package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumSearchResult is what a forum search found.
type forumSearchResult struct {
	Hits []forum.Hit `json:"hits"`
}

// apiForumSearch finds posts holding every word of q in their text or
// their thread's title, best first (COM-2).
func (s *Server) apiForumSearch(w http.ResponseWriter, r *http.Request) error {
	hits, err := s.Forum.Search(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, forumSearchResult{Hits: hits})
}
