package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/agora"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
	"github.com/soulseer/soulseer/internal/realtime"
)

// apiReadingRequest is the body of POST /api/v1/readings.
type apiReadingRequest struct {
	ReaderID int64  `json:"reader_id"`
	Modality string `json:"modality"`
}

// apiReadingCreate asks a reader for a reading (OD-1, OD-2) and answers 201
// with the waiting reading.
func (s *Server) apiReadingCreate(w http.ResponseWriter, r *http.Request) error {
	var req apiReadingRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	rd, err := s.Readings.Request(r.Context(), userOf(r), req.ReaderID, reader.Modality(req.Modality))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rd.View(s.Clock.Now()))
}

// apiReadingShow returns a reading to its parties: its state, and once it
// has ended its summary (billed minutes, total, reader earnings).
func (s *Server) apiReadingShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rd, err := s.Readings.Get(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rd.View(s.Clock.Now()))
}

// apiReadingsList lists the user's readings, as client or (?as=reader) as reader.
func (s *Server) apiReadingsList(w http.ResponseWriter, r *http.Request) error {
	as := reading.Client
	if r.URL.Query().Get("as") == "reader" {
		as = reading.Reader
	}
	list, err := s.Readings.List(r.Context(), userOf(r).ID, as, 100)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	out := make([]reading.View, 0, len(list))
	for _, rd := range list {
		out = append(out, rd.View(now))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"readings": out})
}

// readingAction is an action one party takes on a reading, as a method
// expression such as (*reading.Service).Accept.
type readingAction func(s *reading.Service, ctx context.Context, u account.User, id int64) (reading.Reading, error)

// apiReadingAct runs an action (accept, decline, end, resume) and answers
// with the reading.
func (s *Server) apiReadingAct(act readingAction) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		rd, err := act(s.Readings, r.Context(), userOf(r), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, rd.View(s.Clock.Now()))
	}
}

// apiReadingWSShow is a party's live connection to a reading (OD-9): chat
// messages and typing go out through it; the reading's current state
// ("reading.state") and then its state changes, chat and warnings come back.
// While it is open the party is present; when their last connection closes
// the reading pauses with a grace window (OD-7).
func (s *Server) apiReadingWSShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if _, err := s.Readings.Get(r.Context(), u, id); err != nil {
		return err
	}
	release := s.Presence.Connect(r.Context(), u.ID, id)
	return s.serveWS(w, r, []string{realtime.ReadingTopic(id)}, realtime.ServeOptions{
		OnClose: release,
		// A room rendered just before a change (the other party arriving,
		// leaving or accepting) catches up with it here.
		Hello: func(ctx context.Context) (string, any, error) {
			rd, err := s.Readings.Get(ctx, u, id)
			return "reading.state", rd.View(s.Clock.Now()), err
		},
		OnMessage: chatSocket(func(ctx context.Context, body string) error {
			_, err := s.Readings.Say(ctx, u, id, body)
			return err
		}, func(ctx context.Context) error { return s.Readings.Typing(ctx, u, id) }),
	})
}

// apiAgoraTokenCreate issues (or renews) the caller's RTC token for a running
// voice or video reading: publisher role, channel per reading, 20 minutes
// (OD-10, AGO-1, AGO-2).
func (s *Server) apiAgoraTokenCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	rd, err := s.Readings.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	if _, ok := rd.PartyOf(u.ID); !ok {
		return apperr.Errorf(apperr.Forbidden, "Only the reading's client and reader get media tokens.")
	}
	if rd.Modality == reader.Text {
		return apperr.Errorf(apperr.Conflict, "This is a text reading; it has no voice or video channel.")
	}
	if !rd.State.Live() {
		return apperr.Errorf(apperr.Conflict, "Media tokens are issued while the reading is running.")
	}
	tok, err := s.Agora.RTC(readingChannel(id), uint32(u.ID), agora.Publisher)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tok)
}

// withIDBody runs f with the route's {id} and the decoded JSON body, and
// answers status without a body when f succeeds: the shape of every API
// action that acts on one object.
func withIDBody[T any](w http.ResponseWriter, r *http.Request, status int, f func(id int64, body T) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var body T
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	if err := f(id, body); err != nil {
		return err
	}
	w.WriteHeader(status)
	return nil
}

// readingChannel is the Agora channel of a reading.
func readingChannel(id int64) string { return "soulseer-reading-" + strconv.FormatInt(id, 10) }

// apiReviewRequest is the body of POST /api/v1/readings/{id}/review.
type apiReviewRequest struct {
	Rating int    `json:"rating"`
	Body   string `json:"body"`
}

// apiReviewCreate rates a finished reading (RDR-5).
func (s *Server) apiReviewCreate(w http.ResponseWriter, r *http.Request) error {
	return withIDBody(w, r, http.StatusCreated, func(id int64, req apiReviewRequest) error {
		return s.Readings.AddReview(r.Context(), userOf(r), id, req.Rating, req.Body)
	})
}

// apiClaimRequest is the body of POST /api/v1/readings/{id}/claim.
type apiClaimRequest struct {
	Reason  string `json:"reason"`  // a code of reading.ClaimReasons
	Details string `json:"details"` // optional
}

// apiClaimCreate files a satisfaction claim for admin review (OD-14): a
// reason from the same short list the summary page offers, and optional
// details.
func (s *Server) apiClaimCreate(w http.ResponseWriter, r *http.Request) error {
	return withIDBody(w, r, http.StatusCreated, func(id int64, req apiClaimRequest) error {
		return s.Readings.FileClaim(r.Context(), userOf(r), id, req.Reason, req.Details)
	})
}

// apiNoteRequest is the body of the note endpoints.
type apiNoteRequest struct {
	Body string `json:"body"`
}

// apiReadingNoteUpdate saves the client's private note on a reading (OD-12).
func (s *Server) apiReadingNoteUpdate(w http.ResponseWriter, r *http.Request) error {
	return withIDBody(w, r, http.StatusNoContent, func(id int64, req apiNoteRequest) error {
		return s.Readings.SetClientNote(r.Context(), userOf(r), id, req.Body)
	})
}

// apiClientNoteUpdate saves a reader's private note about a client (OD-12).
func (s *Server) apiClientNoteUpdate(w http.ResponseWriter, r *http.Request) error {
	return withIDBody(w, r, http.StatusNoContent, func(id int64, req apiNoteRequest) error {
		return s.Readings.SetReaderNote(r.Context(), userOf(r), id, req.Body)
	})
}

// apiQueueRequest is the body of POST /api/v1/readers/{id}/queue.
type apiQueueRequest struct {
	Modality string `json:"modality"`
}

// apiQueueCreate joins a busy reader's queue and returns the position (OD-15).
func (s *Server) apiQueueCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req apiQueueRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	pos, err := s.Readings.JoinQueue(r.Context(), userOf(r), id, reader.Modality(req.Modality))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"position": pos})
}

// apiQueueDelete leaves a reader's queue.
func (s *Server) apiQueueDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.Readings.LeaveQueue(r.Context(), userOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiQueueShow returns the caller's position in a reader's queue (0: not queued).
func (s *Server) apiQueueShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pos, err := s.Readings.QueuePosition(r.Context(), userOf(r).ID, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"position": pos})
}
