package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumCategoryRequest is a category as an admin writes it: every field.
type forumCategoryRequest struct {
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Description string `json:"description"`
	ReadersOnly bool   `json:"readers_only"`
	SortOrder   int    `json:"sort_order"`
	Archived    bool   `json:"archived"`
}

func (c forumCategoryRequest) input() forum.CategoryInput {
	return forum.CategoryInput{Name: c.Name, Slug: c.Slug, Description: c.Description, ReadersOnly: c.ReadersOnly,
		SortOrder: c.SortOrder, Archived: c.Archived}
}

// apiAdminForumCategoryCreate adds a forum category (COM-1), audited
// (SEC-4): 201 with the category; bad fields are a 400 naming them, a slug
// already taken a 409.
func (s *Server) apiAdminForumCategoryCreate(w http.ResponseWriter, r *http.Request) error {
	var req forumCategoryRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := s.Forum.CreateCategory(r.Context(), userOf(r), req.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// apiAdminForumCategoryUpdate replaces a category's fields (COM-1):
// rename, describe, reorder, readers-only, archive or bring back; audited
// with what it was before (SEC-4).
func (s *Server) apiAdminForumCategoryUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req forumCategoryRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := s.Forum.UpdateCategory(r.Context(), userOf(r), id, req.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}
