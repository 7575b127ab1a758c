package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/live"
)

// goLiveForm is the go-live form as the reader typed it.
type goLiveForm struct {
	Title      string
	Visibility string
	Price      string // the ticket price, in dollars
	Invites    string // invited users' emails, one a line or separated by commas
}

// readerLivePage is the data of the reader's go-live page: the form, or
// their live stream's room with its end button.
type readerLivePage struct {
	Page
	Verified bool // only verified readers may go live
	Live     bool
	Room     streamRoom
	Form     goLiveForm
	Message  string
	Errors   map[string]string
	// Moderators are the people the reader appointed to moderate their
	// streams (LIV-8); ModEmail and ModErrors are the appointing form as
	// typed and what was wrong with it.
	Moderators []live.Moderator
	ModEmail   string
	ModErrors  map[string]string
}

// readerLiveShow is a reader's go-live page (LIV-1, LIV-2, LIV-8): while
// they are live, their stream — viewer count, chat with Hide, Mute and Ban
// on each viewer's message, the moderation panel (viewers, muted and
// banned), top gifters and, where the site has Agora, the camera they
// publish — with the button that ends it; otherwise the form that starts
// one, or, for a reader not verified yet, why they cannot. Either way, the
// moderators they appointed, with a form to appoint one by email and a
// button to remove each.
func (s *Server) readerLiveShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readerLiveData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "reader_live", p)
}

// readerLiveData is the go-live page as it stands for the signed-in reader.
func (s *Server) readerLiveData(w http.ResponseWriter, r *http.Request) (readerLivePage, error) {
	u, ctx := userOf(r), r.Context()
	p := readerLivePage{Page: s.page(w, r, "Go live"), Form: goLiveForm{Visibility: string(live.Public)}}
	prof, err := s.Readers.Get(ctx, u, u.ID)
	if err != nil {
		return p, err
	}
	p.Verified = prof.IsVerified
	if p.Moderators, err = s.Live.Moderators(ctx, u.ID); err != nil {
		return p, err
	}
	st, ok, err := s.Live.Current(ctx, u)
	if err != nil || !ok {
		return p, err
	}
	st.StartedAt = st.StartedAt.In(u.Location())
	p.Live, p.Title = true, "Live: "+st.Title
	p.Room, err = s.streamRoomOf(ctx, u, st)
	return p, err
}
