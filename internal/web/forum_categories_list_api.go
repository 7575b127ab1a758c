package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/forum"
)

// forumCategoryList is the answer of GET /forum/categories.
type forumCategoryList struct {
	Categories []forum.Category `json:"categories"`
}

// apiForumCategoriesList answers the forum's open categories in the
// index's order with their thread counts and last activity (COM-1);
// admins asking with archived=true get the archived ones too.
func (s *Server) apiForumCategoriesList(w http.ResponseWriter, r *http.Request) error {
	archived := r.URL.Query().Get("archived") == "true" && userOf(r).Role == account.RoleAdmin
	list, err := s.Forum.Categories(r.Context(), archived)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, forumCategoryList{Categories: list})
}
