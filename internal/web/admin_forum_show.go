package web

import (
	"fmt"
	"net/http"
	"strconv"
)

// forumCategoryForm is a category's row on the admin's forum page as the
// admin typed it.
type forumCategoryForm struct {
	ID          int64 // 0 for the new category's row
	Name        string
	Slug        string
	Description string
	SortOrder   string
	ReadersOnly bool
	Archived    bool
	Threads     int
	Errors      map[string]string // what was refused, by field
}

// FormID is the HTML id of the row's form.
func (f forumCategoryForm) FormID() string {
	if f.ID == 0 {
		return "category-new"
	}
	return fmt.Sprintf("category-%d", f.ID)
}

// Action is where the row's form posts.
func (f forumCategoryForm) Action() string {
	if f.ID == 0 {
		return "/admin/forum"
	}
	return fmt.Sprintf("/admin/forum/%d", f.ID)
}

// adminForumPage is the data of the admin's forum categories page.
type adminForumPage struct {
	Page
	Categories []forumCategoryForm
	New        forumCategoryForm
	Message    string // why the last save was refused
}

// adminForumShow is the forum's categories for admins (COM-1): every one,
// archived too, each editable in place (name, address, description,
// place, readers-only, archived), and a row adding one.
func (s *Server) adminForumShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.adminForumData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_forum", p)
}

func (s *Server) adminForumData(w http.ResponseWriter, r *http.Request) (adminForumPage, error) {
	p := adminForumPage{Page: s.page(w, r, "Forum categories"), New: forumCategoryForm{SortOrder: "0"}}
	list, err := s.Forum.Categories(r.Context(), true)
	for _, c := range list {
		p.Categories = append(p.Categories, forumCategoryForm{ID: c.ID, Name: c.Name, Slug: c.Slug, Description: c.Description,
			SortOrder: strconv.Itoa(c.SortOrder), ReadersOnly: c.ReadersOnly, Archived: c.ArchivedAt != nil, Threads: c.ThreadCount})
	}
	return p, err
}
