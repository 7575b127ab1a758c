package web

import (
	"net/http"
	"net/url"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/forum"
)

// forumCategoryPage is the data of a category's page.
type forumCategoryPage struct {
	Page
	Category forum.Category
	Threads  []forum.Thread
	Sort     forum.Sort
	Sorts    []forum.Sort
	PageNum  int
	More     bool
	CanPost  bool
	WhyNot   string                 // why the visitor may not start a thread, when they may not
	Unread   map[int64]forum.Unread // by thread, for a signed-in visitor
}

// LoginToPost is where a visitor logs in to start a thread here.
func (p forumCategoryPage) LoginToPost() string {
	return "/login?next=" + url.QueryEscape("/forum/c/"+p.Category.Slug+"/new")
}

// forumCategoryShow lists a page of a category's threads (COM-2): pinned
// ones first, then by activity, newest or top as the visitor chooses, each
// marked New or with its count of new posts for a signed-in visitor; "New
// thread" for those who may post, and why not for the others (log in,
// readers only, archived).
func (s *Server) forumCategoryShow(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParam(r)
	if err != nil {
		return err
	}
	order := sortParam(r)
	c, threads, more, err := s.Forum.Threads(r.Context(), r.PathValue("slug"), order, page)
	if err != nil {
		return err
	}
	p := forumCategoryPage{Page: s.page(w, r, c.Name+" · Forum"), Category: c, Threads: threads, Sort: order,
		Sorts: []forum.Sort{forum.Active, forum.Newest, forum.Top}, PageNum: page, More: more}
	if p.Unread, err = s.Forum.Unread(r.Context(), p.User.ID, threads); err != nil {
		return err
	}
	if err := forum.MayWrite(p.User, c); err != nil {
		if apperr.CodeOf(err) != apperr.Unauthorized {
			p.WhyNot = apperr.MessageOf(err)
		}
	} else {
		p.CanPost = true
	}
	return s.render(w, http.StatusOK, "forum_category", p)
}
