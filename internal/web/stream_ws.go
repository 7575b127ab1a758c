package web

import (
	"context"
	"net/http"

	"github.com/soulseer/soulseer/internal/realtime"
)

// apiStreamWSShow is a viewer's (or the reader's) live connection to a
// stream they may watch (LIV-6, LIV-7, AGO-4): first the stream as it is
// now ("stream.state"), then its stream.chat, stream.gift, stream.viewers,
// stream.hidden, stream.banned and stream.ended messages; the client may
// send chat through it as in a reading's room ({"type": "chat.message",
// "body": "…"}), taken under the same rules as the chat route. Every viewer is told the viewer count
// when a connection opens or closes. While it is open the user counts as
// connected, which keeps a reader's stream from ending as gone, and is
// listed among the stream's viewers; a ban closes it (LIV-8).
func (s *Server) apiStreamWSShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if _, err := s.Live.Watch(r.Context(), u, id); err != nil {
		return err
	}
	release := s.Presence.Connect(r.Context(), u.ID, 0)
	defer release()
	ctx, kick := context.WithCancel(r.Context())
	defer kick()
	defer s.Live.Watching(id, u.ID, kick)()
	r = r.WithContext(ctx)
	defer func() {
		if err := s.Live.AnnounceViewers(context.WithoutCancel(r.Context()), id); err != nil {
			s.log.Warn("stream viewers", "stream", id, "err", err)
		}
	}()
	return s.serveWS(w, r, []string{realtime.StreamTopic(id)}, realtime.ServeOptions{
		Hello: func(ctx context.Context) (string, any, error) {
			st, err := s.Live.Get(ctx, id)
			if err == nil {
				err = s.Live.AnnounceViewers(ctx, id)
			}
			return "stream.state", st, err
		},
		OnMessage: chatSocket(func(ctx context.Context, body string) error {
			_, err := s.Live.Say(ctx, u, id, body)
			return err
		}, func(context.Context) error { return nil }), // typing is not shown in a stream's chat
	})
}
