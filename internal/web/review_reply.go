package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reading"
	"github.com/soulseer/soulseer/internal/redirect"
)

// reviewItem is the data of one review in a list: the review and, when the
// viewer is its reader, the form to reply (CanReply), where that form
// returns without htmx (Next) and why a reply was refused (Error).
type reviewItem struct {
	Review   reading.Review
	CanReply bool
	Next     string
	Error    string
}

// reviewReplyUpdate saves the signed-in reader's reply to a review of one
// of their readings (RDR-5): one reply per review, which they may edit.
// With htmx it answers the review as it now reads, or with the reason for a
// refusal under the form; otherwise it returns to the page the form was on.
func (s *Server) reviewReplyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	next := redirect.Local(r.PostFormValue("next"), "/reader/dashboard")
	rv, err := s.Readings.ReplyToReview(r.Context(), userOf(r), id, r.PostFormValue("body"))
	if err != nil && (apperr.As(err) == nil || apperr.CodeOf(err) == apperr.NotFound) {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		item := reviewItem{Review: rv, CanReply: true, Next: next}
		if err != nil {
			item.Error = apperr.MessageOf(err)
			rv, ok, err := s.Readings.ReviewOf(r.Context(), id)
			if err != nil {
				return err
			}
			if !ok || rv.ReaderID != userOf(r).ID {
				return apperr.Errorf(apperr.NotFound, "No such review.")
			}
			item.Review = rv
		}
		return s.renderBlock(w, http.StatusOK, "reader", "review_item", item)
	}
	if err != nil {
		s.setFlash(w, apperr.MessageOf(err))
	} else {
		s.setFlash(w, "Your reply is saved.")
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// apiReviewReplyRequest is the body of PUT /api/v1/readings/{id}/review/reply.
type apiReviewReplyRequest struct {
	Body string `json:"body"`
}

// apiReviewReplyUpdate writes (or rewrites) the reader's reply to the
// review of one of their readings and answers with the review.
func (s *Server) apiReviewReplyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req apiReviewReplyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	rv, err := s.Readings.ReplyToReview(r.Context(), userOf(r), id, req.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reviewJSON(rv))
}
