package web

import (
	"maps"
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reading"
)

// reviewResponse is a review in API responses: public, so the client is
// named by first name only.
type reviewResponse struct {
	ReadingID  int64     `json:"reading_id"`
	ReaderID   int64     `json:"reader_id"`
	ClientName string    `json:"client_name"`
	Rating     int       `json:"rating"`
	Body       string    `json:"body"`
	Reply      string    `json:"reply"`
	RepliedAt  time.Time `json:"replied_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
}

func reviewJSON(rv reading.Review) reviewResponse {
	return reviewResponse{ReadingID: rv.ReadingID, ReaderID: rv.ReaderID, ClientName: rv.ClientName, Rating: rv.Rating,
		Body: rv.Body, Reply: rv.Reply, RepliedAt: rv.RepliedAt, CreatedAt: rv.CreatedAt}
}

// reviewListResponse is a page of a reader's reviews.
type reviewListResponse struct {
	Reviews []reviewResponse   `json:"reviews"`
	Sort    reading.ReviewSort `json:"sort"`
	Total   int                `json:"total"`
	Limit   int                `json:"limit"`
	Offset  int                `json:"offset"`
}

// apiReviewsList lists the reviews of a reader visible to the caller, with
// their replies, newest or most helpful first (?sort=newest|helpful), a
// page at a time (?limit, at most 50, and ?offset) (RDR-5).
func (s *Server) apiReviewsList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	fields := map[string]string{}
	sort, ok := reading.ParseReviewSort(q.Get("sort"))
	if !ok {
		fields["sort"] = "Use newest or helpful."
	}
	limit, offset, perr := parsePaging(q, reading.MaxReviewPage)
	if e := apperr.As(perr); e != nil {
		maps.Copy(fields, e.Fields)
	}
	if err := apperr.Validation(fields); err != nil {
		return err
	}
	if limit == 0 {
		limit = 10
	}
	p, err := s.Readers.Get(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	list, total, err := s.Readings.Reviews(r.Context(), p.UserID, sort, limit, offset)
	if err != nil {
		return err
	}
	out := reviewListResponse{Reviews: make([]reviewResponse, 0, len(list)), Sort: sort, Total: total, Limit: limit, Offset: offset}
	for _, rv := range list {
		out.Reviews = append(out.Reviews, reviewJSON(rv))
	}
	return writeJSON(w, http.StatusOK, out)
}
