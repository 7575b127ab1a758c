package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
	"github.com/soulseer/soulseer/internal/redirect"
)

// readingRoomPage is the data of the reading room and its summary.
type readingRoomPage struct {
	Page
	Reading      reading.Reading
	View         reading.View
	Party        reading.Party
	Messages     []reading.Message
	WalletCents  int64
	Presets      []int64
	MediaReady   bool // voice/video configured
	ClientNote   string
	ReaderNote   string
	History      []reading.Reading // the reader's earlier readings with this client
	Review       *reading.Review
	CanReview    bool
	ClaimStatus  string
	Claim        claimForm
	MinReviewMin int64
	Unit         reading.Unit // the words for the reading's billing period
	StateLabels  string       // JSON: each state's label, for the script that shows state changes in place
	// Unanswered says the request ended before a reading started (the
	// reader declined or did not answer, or the client cancelled): nothing
	// was charged, and the client is offered Alternatives, readers online
	// now who share a specialty with the one asked.
	Unanswered   bool
	Alternatives []reader.Profile
}

// stateLabelsJSON is every reading state's label (reading.State.Label) as a
// JSON object, for the reading room's script.
var stateLabelsJSON = func() string {
	labels := map[reading.State]string{}
	for _, st := range reading.States {
		labels[st] = st.Label()
	}
	b, _ := json.Marshal(labels)
	return string(b)
}()

// readingRoomShow renders the reading room for its two parties (OD-9,
// OD-13): chat, live timer and cost meter, low-balance banner with in-place
// top-up, end button, the reader's notes panel — and, once the reading has
// ended, its summary with review, note and satisfaction claim (OD-11).
func (s *Server) readingRoomShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := s.readingRoom(w, r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "reading_room", data)
}

// readingRoom gathers what the reading room of reading id shows its caller.
func (s *Server) readingRoom(w http.ResponseWriter, r *http.Request, id int64) (readingRoomPage, error) {
	u := userOf(r)
	rd, err := s.Readings.Get(r.Context(), u, id)
	if err != nil {
		return readingRoomPage{}, err
	}
	party, _ := rd.PartyOf(u.ID)
	ctx := r.Context()
	data := readingRoomPage{Page: s.page(w, r, "Reading with "+rd.ReaderName), Reading: rd, View: rd.View(s.Clock.Now()), Party: party,
		Presets: topUpPresets, MediaReady: s.Agora.Configured(), MinReviewMin: reading.MinReviewMinutes, Unit: rd.Unit(),
		StateLabels: stateLabelsJSON}
	if party == reading.Reader {
		data.Title = "Reading for " + rd.ClientName
	}
	if data.Messages, err = s.Readings.Transcript(ctx, u, id); err != nil {
		return data, err
	}
	if data.WalletCents, err = s.Ledger.Balance(ctx, s.DB.Read(), ledger.Wallet(rd.ClientID)); err != nil {
		return data, err
	}
	switch party {
	case reading.Client:
		if data.ClientNote, err = s.Readings.ClientNote(ctx, u.ID, id); err != nil {
			return data, err
		}
	case reading.Reader:
		if data.ReaderNote, err = s.Readings.ReaderNote(ctx, u.ID, rd.ClientID); err != nil {
			return data, err
		}
		all, err := s.Readings.List(ctx, u.ID, reading.Reader, 200)
		if err != nil {
			return data, err
		}
		for _, h := range all {
			if h.ClientID == rd.ClientID && h.ID != rd.ID && len(data.History) < 10 {
				data.History = append(data.History, h)
			}
		}
	}
	if data.Unanswered = !rd.State.Open() && rd.ActivatedAt.IsZero(); data.Unanswered && party == reading.Client {
		if data.Alternatives, err = s.Readers.OnlineAlike(ctx, rd.ReaderID, 3); err != nil {
			return data, err
		}
	}
	if !rd.State.Open() {
		rv, ok, err := s.Readings.ReviewOf(ctx, id)
		if err != nil {
			return data, err
		}
		if ok {
			data.Review = &rv
		}
		data.CanReview = !ok && party == reading.Client && rd.BilledMinutes >= reading.MinReviewMinutes
		data.Claim.Reasons = reading.ClaimReasons
		if data.ClaimStatus, err = s.Readings.ClaimOf(ctx, id); err != nil {
			return data, err
		}
	}
	return data, nil
}

// readingCreate starts a reading from the reader's profile page.
func (s *Server) readingCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	rd, err := s.Readings.Request(r.Context(), userOf(r), id, reader.Modality(r.PostFormValue("modality")))
	if err != nil {
		if apperr.As(err) == nil {
			return err
		}
		profile := "/readers/" + strconv.FormatInt(id, 10)
		if apperr.CodeOf(err) == apperr.InsufficientFunds {
			// The wallet says what is missing, and paying comes back here.
			http.Redirect(w, r, "/wallet?next="+url.QueryEscape(profile), http.StatusSeeOther)
			return nil
		}
		s.setFlash(w, apperr.MessageOf(err))
		http.Redirect(w, r, profile, http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/readings/"+strconv.FormatInt(rd.ID, 10), http.StatusSeeOther)
	return nil
}

// readingActPage runs accept, decline, end or resume from a page form and
// returns to the room (or, after declining, the dashboard).
func (s *Server) readingActPage(act readingAction) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		rd, err := act(s.Readings, r.Context(), userOf(r), id)
		if err != nil {
			if apperr.As(err) == nil {
				return err
			}
			s.setFlash(w, apperr.MessageOf(err))
		}
		target := "/readings/" + strconv.FormatInt(id, 10)
		if rd.EndReason == reading.EndDeclined {
			target = "/reader/dashboard"
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil
	}
}

// readingReviewCreate and readingNoteUpdate save the summary screen's forms
// and return to it.
func (s *Server) readingReviewCreate(w http.ResponseWriter, r *http.Request) error {
	return s.summaryForm(w, r, "Thank you for your review.", func(id int64) error {
		rating, _ := strconv.Atoi(r.PostFormValue("rating"))
		return s.Readings.AddReview(r.Context(), userOf(r), id, rating, r.PostFormValue("body"))
	})
}

func (s *Server) readingNoteUpdate(w http.ResponseWriter, r *http.Request) error {
	return s.summaryForm(w, r, "Your note is saved.", func(id int64) error {
		return s.Readings.SetClientNote(r.Context(), userOf(r), id, r.PostFormValue("body"))
	})
}

// clientNoteUpdate saves a reader's note about a client from the room.
func (s *Server) clientNoteUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := s.Readings.SetReaderNote(r.Context(), userOf(r), id, r.PostFormValue("body")); err != nil {
		if apperr.As(err) == nil {
			return err
		}
		s.setFlash(w, apperr.MessageOf(err))
	} else {
		s.setFlash(w, "Note saved.")
	}
	http.Redirect(w, r, redirect.Local(r.PostFormValue("next"), "/reader/readings"), http.StatusSeeOther)
	return nil
}

func (s *Server) summaryForm(w http.ResponseWriter, r *http.Request, ok string, save func(id int64) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := save(id); err != nil {
		if apperr.As(err) == nil {
			return err
		}
		s.setFlash(w, apperr.MessageOf(err))
	} else {
		s.setFlash(w, ok)
	}
	http.Redirect(w, r, "/readings/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// readingHistoryPage is the data of the reading history pages.
type readingHistoryPage struct {
	Page
	Readings []reading.Reading
	AsReader bool
	Now      time.Time
	Blocked  map[int64]bool // clients the reader has blocked (ACC-6)
}

// readingHistoryShow lists the client's readings with their summaries (OD-12).
func (s *Server) readingHistoryShow(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Readings.List(r.Context(), userOf(r).ID, reading.Client, 100)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "reading_history", readingHistoryPage{Page: s.page(w, r, "Your readings"), Readings: list, Now: s.Clock.Now()})
}

// readerReadingsShow lists the reader's readings with client names (DASH-R),
// each client with Block, or Unblock once blocked (ACC-6).
func (s *Server) readerReadingsShow(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Readings.List(r.Context(), userOf(r).ID, reading.Reader, 100)
	if err != nil {
		return err
	}
	blocks, err := s.Blocks.List(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	blocked := map[int64]bool{}
	for _, b := range blocks {
		blocked[b.UserID] = true
	}
	return s.render(w, http.StatusOK, "reading_history", readingHistoryPage{Page: s.page(w, r, "Your readings"), Readings: list, AsReader: true, Now: s.Clock.Now(), Blocked: blocked})
}

// queueCreate joins a busy reader's queue from their profile (OD-15).
func (s *Server) queueCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	pos, err := s.Readings.JoinQueue(r.Context(), userOf(r), id, reader.Modality(r.PostFormValue("modality")))
	if err != nil {
		if apperr.As(err) == nil {
			return err
		}
		s.setFlash(w, apperr.MessageOf(err))
	} else {
		s.setFlash(w, "You are number "+strconv.Itoa(pos)+" in the queue. We will tell you when it is your turn.")
	}
	http.Redirect(w, r, "/readers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// queueDelete leaves a reader's queue.
func (s *Server) queueDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.Readings.LeaveQueue(r.Context(), userOf(r), id); err != nil {
		return err
	}
	s.setFlash(w, "You left the queue.")
	http.Redirect(w, r, "/readers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// adminClaimsPage is the data of the satisfaction claims queue.
type adminClaimsPage struct {
	Page
	Claims []reading.Claim
}

// adminClaimsShow lists pending satisfaction claims (OD-14).
func (s *Server) adminClaimsShow(w http.ResponseWriter, r *http.Request) error {
	claims, err := s.Readings.Claims(r.Context(), "pending")
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_claims", adminClaimsPage{Page: s.page(w, r, "Satisfaction claims"), Claims: claims})
}

// adminClaimResolve approves (refunding the reading) or rejects a claim.
func (s *Server) adminClaimResolve(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	approve := r.PostFormValue("decision") == "approve"
	if err := s.Readings.ResolveClaim(r.Context(), userOf(r), id, approve, r.PostFormValue("note")); err != nil {
		if apperr.As(err) == nil {
			return err
		}
		s.setFlash(w, apperr.MessageOf(err))
	} else if approve {
		s.setFlash(w, "Claim approved; the reading was refunded to the client's wallet.")
	} else {
		s.setFlash(w, "Claim rejected.")
	}
	http.Redirect(w, r, "/admin/claims", http.StatusSeeOther)
	return nil
}

// apiClaimResolveRequest is the body of POST /api/v1/admin/claims/{id}.
type apiClaimResolveRequest struct {
	Approve bool   `json:"approve"`
	Note    string `json:"note"`
}

// apiAdminClaimResolve approves or rejects a claim.
func (s *Server) apiAdminClaimResolve(w http.ResponseWriter, r *http.Request) error {
	return withIDBody(w, r, http.StatusNoContent, func(id int64, req apiClaimResolveRequest) error {
		return s.Readings.ResolveClaim(r.Context(), userOf(r), id, req.Approve, req.Note)
	})
}

// apiAdminClaimsList lists pending claims.
func (s *Server) apiAdminClaimsList(w http.ResponseWriter, r *http.Request) error {
	claims, err := s.Readings.Claims(r.Context(), "pending")
	if err != nil {
		return err
	}
	type claim struct {
		ID         int64  `json:"id"`
		ReadingID  int64  `json:"reading_id"`
		ClientID   int64  `json:"client_id"`
		TotalCents int64  `json:"total_cents"`
		Reason     string `json:"reason"`
		Details    string `json:"details"`
		Status     string `json:"status"`
	}
	out := make([]claim, 0, len(claims))
	for _, c := range claims {
		out = append(out, claim{c.ID, c.ReadingID, c.ClientID, c.TotalCents, c.Reason, c.Details, c.Status})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"claims": out})
}
