package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/forum"
)

// adminForumCategoryCreate adds a forum category from the admin's forum
// page (COM-1).
func (s *Server) adminForumCategoryCreate(w http.ResponseWriter, r *http.Request) error {
	return s.adminForumCategorySave(w, r, 0)
}

// adminForumCategoryUpdate renames, describes, reorders, restricts or
// archives a forum category from the admin's forum page (COM-1).
func (s *Server) adminForumCategoryUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.adminForumCategorySave(w, r, id)
}

// adminForumCategorySave reads a category's row and adds it (id 0) or
// updates category id, audited by the service (SEC-4); a refused field is
// shown beside it, as typed.
func (s *Server) adminForumCategorySave(w http.ResponseWriter, r *http.Request, id int64) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := forumCategoryForm{ID: id, Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug"), Description: r.PostFormValue("description"),
		SortOrder: r.PostFormValue("sort_order"), ReadersOnly: r.PostFormValue("readers_only") != "", Archived: r.PostFormValue("archived") != ""}
	order, errOrder := strconv.Atoi(strings.TrimSpace(f.SortOrder))
	in := forum.CategoryInput{Name: f.Name, Slug: f.Slug, Description: f.Description, ReadersOnly: f.ReadersOnly, SortOrder: order, Archived: f.Archived}
	var err error
	switch {
	case errOrder != nil:
		err = apperr.Validation(map[string]string{"sort_order": "Use a whole number, such as 10."})
	case id == 0:
		_, err = s.Forum.CreateCategory(r.Context(), userOf(r), in)
	default:
		_, err = s.Forum.UpdateCategory(r.Context(), userOf(r), id, in)
	}
	if e := apperr.As(err); e != nil && len(e.Fields) > 0 {
		p, derr := s.adminForumData(w, r)
		if derr != nil {
			return derr
		}
		p.Message, f.Errors = apperr.MessageOf(err), e.Fields
		if id == 0 {
			p.New = f
		}
		for i := range p.Categories {
			if p.Categories[i].ID == id {
				f.Threads = p.Categories[i].Threads
				p.Categories[i] = f
			}
		}
		return s.render(w, statusOf(e.Code), "admin_forum", p)
	}
	if err != nil {
		return err
	}
	s.setFlash(w, "The forum's categories are saved.")
	http.Redirect(w, r, "/admin/forum", http.StatusSeeOther)
	return nil
}
