package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

// profileReviewPage is how many reviews a reader's profile shows at a time.
const profileReviewPage = 5

// readerPage is the data of a reader's public profile page.
type readerPage struct {
	Page
	Reader     reader.Profile
	IsFavorite bool
	IsOwn      bool
	QueuePos   int // the visitor's place in the reader's queue, 0 if none
	Reviews    reviewList
	IsClient   bool // the visitor may ask to be told when the reader comes online, and block them
	Watching   bool // the visitor waits to be told when the reader comes online (RDR-7)
	Blocked    bool // the visitor has blocked the reader (ACC-6)
	Book       slotWeek
	Streams    []live.Stream // the reader's live stream, then their past ones, as the visitor may see them listed (LIV-1)

	Subscription subscriptionCard // the reader's monthly subscription and the visitor's own (LIV-3)
	Subscribers  int              // on the reader's own profile: how many subscribers they have now

	Just *payment.TopUp // the top-up the visitor just paid to afford a reading here
}

// reviewList is one page of a reader's reviews on their profile: sorted
// newest first or most helpful first, with links to the pages around it.
type reviewList struct {
	ReaderID int64
	Items    []reading.Review
	Total    int
	Sort     reading.ReviewSort
	PageNum  int
	Pages    int
	CanReply bool // the viewer is the reader, who may reply to each review
}

// PageURL is the profile address showing page n of the reviews in the
// order sort names ("newest" or "helpful").
func (l reviewList) PageURL(sort string, n int) string {
	q := url.Values{}
	if sort != string(reading.ReviewsNewest) {
		q.Set("reviews", sort)
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return "/readers/" + strconv.FormatInt(l.ReaderID, 10) + queryString(q) + "#reviews"
}

// readerShow renders a reader's profile (RDR-1) with its reviews (RDR-5),
// a page at a time in the order asked for by ?reviews=newest|helpful and
// ?page=N (htmx asks for the reviews block alone when paging), a week
// of their open times to book (SCH-3) and their monthly subscription with
// the visitor's own (LIV-3).
func (s *Server) readerShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.Readers.Get(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	favs, err := s.favoriteSet(r)
	if err != nil {
		return err
	}
	data := readerPage{Page: s.page(w, r, p.DisplayName), Reader: p, IsFavorite: favs[p.UserID], IsOwn: userOf(r).ID == p.UserID,
		Just: s.returnedTopUp(r)}
	if u := userOf(r); u.ID != 0 {
		if data.QueuePos, err = s.Readings.QueuePosition(r.Context(), u.ID, p.UserID); err != nil {
			return err
		}
		if data.IsClient = u.Role == account.RoleClient; data.IsClient {
			if data.Watching, err = s.Readers.WatchingOnline(r.Context(), u.ID, p.UserID); err != nil {
				return err
			}
			if data.Blocked, err = s.Blocks.HasBlocked(r.Context(), u.ID, p.UserID); err != nil {
				return err
			}
		}
	}
	q := r.URL.Query()
	sort, ok := reading.ParseReviewSort(q.Get("reviews"))
	if !ok {
		sort = reading.ReviewsNewest
	}
	pageNum, _ := strconv.Atoi(q.Get("page"))
	pageNum = min(max(pageNum, 1), 10000)
	list := reviewList{ReaderID: p.UserID, Sort: sort, PageNum: pageNum, CanReply: data.IsOwn}
	if list.Items, list.Total, err = s.Readings.Reviews(r.Context(), p.UserID, sort, profileReviewPage, (pageNum-1)*profileReviewPage); err != nil {
		return err
	}
	list.Pages = (list.Total + profileReviewPage - 1) / profileReviewPage
	data.Reviews = list
	if r.Header.Get("HX-Request") == "true" {
		return s.renderBlock(w, http.StatusOK, "reader", "reviews", data)
	}
	if data.Streams, err = s.readerStreams(r, p.UserID); err != nil {
		return err
	}
	if data.Subscription, err = s.subscriptionCardOf(r, p.UserID, data.Balance, r.URL.Path); err != nil {
		return err
	}
	if data.IsOwn {
		if data.Subscribers, err = s.Live.SubscriberCount(r.Context(), p.UserID); err != nil {
			return err
		}
	}
	if data.Blocked { // ACC-6: no times to offer someone who cannot book them
		return s.render(w, http.StatusOK, "reader", data)
	}
	if data.Book, err = s.slotWeekData(r, p, data.IsOwn); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "reader", data)
}

// readerStreams is readerID's live stream, if the visitor may see it
// listed, then their past streams, newest first (LIV-1).
func (s *Server) readerStreams(r *http.Request, readerID int64) ([]live.Stream, error) {
	u := userOf(r)
	now, err := s.Live.LiveNow(r.Context(), u)
	if err != nil {
		return nil, err
	}
	var out []live.Stream
	for _, st := range now {
		if st.ReaderID == readerID {
			out = append(out, st)
		}
	}
	past, err := s.Live.PastStreams(r.Context(), u, readerID)
	out = append(out, past...)
	for i := range out {
		out[i].StartedAt = out[i].StartedAt.In(u.Location())
	}
	return out, err
}
