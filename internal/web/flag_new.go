package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/redirect"
)

// flagNewPage is the data of the page on which a user flags an item.
type flagNewPage struct {
	Page
	TargetType string
	TargetID   int64
	Reasons    []struct{ Code, Label string }
	Reason     string
	Note       string
	Next       string // where to return
	Errors     map[string]string
	Message    string
}

// flagNew is the flag dialog as a page (COM-4), reached from the Flag link
// on a post, thread, review, stream message or profile: the reasons to
// choose from, a note, and a way back to where the item is.
func (s *Server) flagNew(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	id, err := strconv.ParseInt(q.Get("target_id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.Errorf(apperr.NotFound, "Nothing to flag here.")
	}
	p := flagNewPage{Page: s.page(w, r, "Flag"), TargetType: q.Get("target_type"), TargetID: id, Reasons: flag.Reasons,
		Next: flagNext(q.Get("next"))}
	return s.render(w, http.StatusOK, "flag_new", p)
}

// flagCreate raises the flag of the flag page (COM-4, COM-5) and returns
// to the item saying it will be reviewed; a refusal (no reason, a second
// flag, one's own item, too many flags at once) is shown on the page as
// the user left it.
func (s *Server) flagCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PostFormValue("target_id"), 10, 64)
	in := flag.RaiseInput{TargetType: r.PostFormValue("target_type"), TargetID: id, Reason: r.PostFormValue("reason"), Note: r.PostFormValue("note")}
	next := flagNext(r.PostFormValue("next"))
	_, err := s.Flags.Raise(r.Context(), userOf(r), in)
	if err == nil {
		s.setFlash(w, "Thank you: a moderator will look at it.")
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	e := apperr.As(err)
	if e == nil || e.Code == apperr.NotFound {
		return err
	}
	p := flagNewPage{Page: s.page(w, r, "Flag"), TargetType: in.TargetType, TargetID: in.TargetID, Reasons: flag.Reasons, Reason: in.Reason,
		Note: in.Note, Next: next, Errors: e.Fields, Message: e.Message}
	if e.Code == apperr.RateLimited {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())+1))
	}
	return s.render(w, statusOf(e.Code), "flag_new", p)
}

// What names the kind of item in a sentence.
func (p flagNewPage) What() string { return strings.ReplaceAll(p.TargetType, "_", " ") }

// flagNext is where the flag page returns to: next when it is a path on
// this site (a post's anchor and a thread's page kept), else the home
// page.
func flagNext(next string) string { return redirect.Local(next, "/") }
