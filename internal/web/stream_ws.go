package web

import (
	"context"
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/realtime"
)

// apiStreamWSShow is a viewer's (or the reader's) live connection to a
// stream they may watch (LIV-6, LIV-7, AGO-4): first the stream as it is
// now ("stream.state"), then its stream.chat, stream.gift, stream.viewers,
// stream.hidden, stream.muted, stream.banned, stream.unbanned and
// stream.ended messages; the client may send chat through it as in a
// reading's room ({"type": "chat.message", "body": "…"}), taken under the
// same rules as the chat route. While it is open the user counts as
// connected, which keeps a reader's stream from ending as gone, and is
// counted and listed among the stream's viewers on every instance. The
// stream's end closes it after stream.ended, and a ban the banned viewer's
// after stream.banned, on whichever instance it is (LIV-2, LIV-8). A
// stream that has ended, or a viewer banned or not invited, is answered
// with a connection that gets one stream.refused saying why and is closed
// with realtime.StatusRefused and that reason, so the page can say it.
func (s *Server) apiStreamWSShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if _, err := s.Live.Watch(r.Context(), u, id); err != nil {
		if c := apperr.CodeOf(err); (c == apperr.Conflict || c == apperr.Forbidden) && realtime.IsHandshake(r) {
			reason := apperr.MessageOf(err)
			return s.Hub.RefuseWS(w, r, []string{s.Config.BaseURL}, "stream.refused", live.Refused{StreamID: id, Reason: reason}, reason)
		}
		return err
	}
	release := s.Presence.Connect(r.Context(), u.ID, 0)
	watching := s.Live.Watching(id, u.ID)
	return s.serveWS(w, r, []string{realtime.StreamTopic(id)}, realtime.ServeOptions{
		OnClose: func() { watching(); release() },
		Hello: func(ctx context.Context) (string, any, error) {
			st, err := s.Live.Get(ctx, id)
			return "stream.state", st, err
		},
		Last: func(m realtime.Message) string { return live.ClosesAfter(m, u.ID) },
		OnMessage: chatSocket(func(ctx context.Context, body string) error {
			_, err := s.Live.Say(ctx, u, id, body)
			return err
		}, func(context.Context) error { return nil }), // typing is not shown in a stream's chat
	})
}
