package web

import (
	"fmt"
	"net/http"

	"github.com/soulseer/soulseer/internal/forum"
)

// forumThreadUpdate pins or unpins, locks or unlocks, or moves a thread
// from its page, for admins (COM-2), audited by the service (SEC-4). The
// form sends the one field it changes: pinned, locked (true or false) or
// category.
func (s *Server) forumThreadUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	var ch forum.ThreadChange
	flag := func(name string) *bool {
		if v := r.PostFormValue(name); v != "" {
			b := v == "true"
			return &b
		}
		return nil
	}
	ch.Pinned, ch.Locked = flag("pinned"), flag("locked")
	if v := r.PostFormValue("category"); v != "" {
		ch.CategorySlug = &v
	}
	t, err := s.Forum.ChangeThread(r.Context(), userOf(r), id, ch)
	if err != nil {
		return err
	}
	s.setFlash(w, threadStateText(t))
	http.Redirect(w, r, fmt.Sprintf("/forum/t/%d", id), http.StatusSeeOther)
	return nil
}

// threadStateText says how a thread stands after an admin's change.
func threadStateText(t forum.Thread) string {
	pinned, locked := "not pinned", "open"
	if t.Pinned {
		pinned = "pinned"
	}
	if t.Locked {
		locked = "locked"
	}
	return fmt.Sprintf("The thread is in %s, %s and %s.", t.CategoryName, pinned, locked)
}
