package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/errreport"
)

// serverFault logs a failure that is the server's own — a 5xx other than
// 503, which says the server is unavailable on purpose — and keeps it on
// the request, whose error report observe makes when the request ends
// (EXT-5). Other failures are the client's and are not reported.
func (s *Server) serverFault(r *http.Request, status int, code apperr.Code, err error) {
	if status < 500 || code == apperr.Unavailable {
		return
	}
	info := infoOf(r)
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "request_id", info.id, "err", err)
	info.failure = err
}

// infoOf returns what the server has learnt about r (see requestInfo);
// a request that did not pass through observe gets an empty one.
func infoOf(r *http.Request) *requestInfo {
	if info, ok := r.Context().Value(ctxInfo).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// reportTags are what an error report says about a request: its route
// (method and pattern, never the path, which may hold a token), request id
// and the signed-in user's id. Nothing the client sent goes with it.
func reportTags(r *http.Request) errreport.Tags {
	info := infoOf(r)
	tags := errreport.Tags{"route": info.route, "request_id": info.id}
	if info.userID != 0 {
		tags["user_id"] = strconv.FormatInt(info.userID, 10)
	}
	return tags
}

// reportedMessages hands each message a live connection's client sends to
// next and reports what goes wrong there with the connection's tags
// (EXT-5): an internal error, or a panic, which is recovered — the client
// hears that something went wrong and the connection stays open, where a
// panic in the connection's reading goroutine would end the process.
func (s *Server) reportedMessages(r *http.Request, next func(context.Context, []byte) error) func(context.Context, []byte) error {
	tags := reportTags(r)
	return func(ctx context.Context, text []byte) (err error) {
		defer func() {
			if p := recover(); p != nil {
				s.Errors.Panic(p, tags)
				err = fmt.Errorf("web: live message on %s: panic: %v", tags["route"], p)
			}
		}()
		err = next(ctx, text)
		if apperr.CodeOf(err) == apperr.Internal && ctx.Err() == nil {
			s.Errors.Error(err, tags)
		}
		return err
	}
}
