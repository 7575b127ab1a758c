package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/forum"
)

// forumThreadPage is the data of a thread's page.
type forumThreadPage struct {
	Page
	Thread     forum.Thread
	Category   forum.Category
	Posts      []postView
	PageNum    int
	More       bool
	CanReply   bool
	WhyNot     string // why the visitor may not reply, when they may not and are signed in
	Composer   composer
	Categories []forum.Category // where an admin may move the thread
}

// postView is a post on its thread's page with what the viewer may do.
type postView struct {
	forum.Post
	CanChange bool // edit and delete: its author or an admin
	CanFlag   bool // someone signed in other than its author, while it shows (COM-4)
}

// FlagURL is the flag page for post id, returning to it on this page.
func (p forumThreadPage) FlagURL(id int64) string {
	return flagURL("post", id, fmt.Sprintf("%s#post-%d", p.Here(), id))
}

// FlagThreadURL is the flag page for the thread, returning to its page.
func (p forumThreadPage) FlagThreadURL() string {
	return flagURL("thread", p.Thread.ID, p.Here())
}

// flagURL is the flag page for an item, going back to next once sent.
func flagURL(targetType string, id int64, next string) string {
	return "/flag?" + url.Values{"target_type": {targetType}, "target_id": {strconv.FormatInt(id, 10)}, "next": {next}}.Encode()
}

// Here is the address of this page of the thread.
func (p forumThreadPage) Here() string {
	if p.PageNum == 1 {
		return fmt.Sprintf("/forum/t/%d", p.Thread.ID)
	}
	return fmt.Sprintf("/forum/t/%d?page=%d", p.Thread.ID, p.PageNum)
}

// QuoteURL is this page with post id quoted in the reply composer.
func (p forumThreadPage) QuoteURL(id int64) string {
	return fmt.Sprintf("/forum/t/%d?page=%d&quote=%d#reply", p.Thread.ID, p.PageNum, id)
}

// LoginToReply is where a visitor logs in to reply.
func (p forumThreadPage) LoginToReply() string {
	return "/login?next=" + url.QueryEscape(p.Here()+"#reply")
}

// forumThreadShow is a page of a thread's posts (COM-2): each with its
// author, reader badge, time and edited mark, Quote for those who may
// reply, Edit and Delete on one's own; the reply composer with its
// preview at the bottom; Pin, Lock, Move and revisions for admins.
// ?quote= a post of the page starts the reply with it quoted.
func (s *Server) forumThreadShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.forumThreadData(w, r)
	if err != nil {
		return err
	}
	if q, err := strconv.ParseInt(r.URL.Query().Get("quote"), 10, 64); err == nil && p.CanReply {
		for _, post := range p.Posts {
			if post.ID == q && !post.Deleted {
				p.Composer.Body = quote(post.Post)
			}
		}
	}
	return s.render(w, http.StatusOK, "forum_thread", p)
}

// forumThreadData is the page of the thread that the request names, as
// the viewer sees it.
func (s *Server) forumThreadData(w http.ResponseWriter, r *http.Request) (forumThreadPage, error) {
	id, page, err := idAndPage(r)
	if err != nil {
		return forumThreadPage{}, err
	}
	t, posts, more, err := s.Forum.Thread(r.Context(), id, page)
	if err != nil {
		return forumThreadPage{}, err
	}
	if len(posts) > 0 { // the visitor has now read this page (COM-2: unread markers)
		if err := s.Forum.MarkRead(r.Context(), userOf(r).ID, t.ID, posts[len(posts)-1].ID); err != nil {
			return forumThreadPage{}, err
		}
	}
	c, err := s.Forum.CategoryBySlug(r.Context(), t.CategorySlug)
	if err != nil {
		return forumThreadPage{}, err
	}
	p := forumThreadPage{Page: s.page(w, r, t.Title+" · Forum"), Thread: t, Category: c, PageNum: page, More: more,
		Composer: newComposer(fmt.Sprintf("/forum/t/%d/posts", t.ID), "Post reply")}
	p.Composer.Attach = true
	if page > 1 {
		p.Composer.Action += fmt.Sprintf("?page=%d", page)
	}
	p.Composer.Action += "#reply"
	for _, post := range posts {
		p.Posts = append(p.Posts, postView{Post: post, CanChange: forum.MayChange(p.User, post) == nil,
			CanFlag: p.SignedIn() && p.User.ID != post.Author.ID && !post.Deleted && !post.Hidden})
	}
	if err := forum.MayReply(p.User, c, t); err == nil {
		p.CanReply = true
	} else if apperr.CodeOf(err) != apperr.Unauthorized {
		p.WhyNot = apperr.MessageOf(err)
	}
	if p.IsAdmin() {
		if p.Categories, err = s.Forum.Categories(r.Context(), false); err != nil {
			return forumThreadPage{}, err
		}
	}
	return p, nil
}
