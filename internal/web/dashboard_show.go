package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"

	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

// clientDashboardPage is the data of the client dashboard (DASH-C).
type clientDashboardPage struct {
	Page
	Figures   clientFigures
	Favorites []reader.Profile
	Online    []reader.Profile
	Entries   []ledger.Entry
	Active    []reading.Reading   // readings open now, to rejoin
	Past      []pastReading       // the latest ended readings with the client's notes
	Tokens    []account.APIToken  // the user's working API tokens, to see and revoke (ACC-10)
	Bookings  []bookingItem       // the next few scheduled readings (SCH-7)
	Zone      string              // the zone their times are shown in
	Subs      []live.Subscription // the user's subscriptions to readers while they admit them (LIV-3)
}

// pastReading is an ended reading with the client's private note on it.
type pastReading struct {
	reading.Reading
	Note string
}

// dashboardPast is how many ended readings the client dashboard lists.
const dashboardPast = 5

// clientDashboardShow renders the client's dashboard, which is every
// user's account page: wallet balance with a top-up button and the last 10
// transactions, what they spent this month and overall, readings open now
// to rejoin, past readings with their notes, the next scheduled readings,
// unread messages, favourite readers, their subscriptions to readers, who
// is online now and the user's API tokens.
func (s *Server) clientDashboardShow(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), userOf(r)
	figures, entries, err := s.clientFiguresOf(ctx, u, s.Clock.Now())
	if err != nil {
		return err
	}
	favs, err := s.Readers.Favorites(ctx, u.ID)
	if err != nil {
		return err
	}
	online, _, err := s.Readers.List(ctx, reader.Filter{OnlineOnly: true, Limit: 6})
	if err != nil {
		return err
	}
	readings, err := s.Readings.List(ctx, u.ID, reading.Client, 50)
	if err != nil {
		return err
	}
	data := clientDashboardPage{Figures: figures, Favorites: favs, Online: online, Entries: entries, Zone: u.Location().String()}
	for _, rd := range readings {
		if rd.State.Open() {
			data.Active = append(data.Active, rd)
		} else if len(data.Past) < dashboardPast {
			note, err := s.Readings.ClientNote(ctx, u.ID, rd.ID)
			if err != nil {
				return err
			}
			data.Past = append(data.Past, pastReading{Reading: rd, Note: note})
		}
	}
	if data.Tokens, err = s.Accounts.APITokens(ctx, u.ID); err != nil {
		return err
	}
	if data.Bookings, err = s.upcomingBookings(r); err != nil {
		return err
	}
	subs, err := s.Live.Subscriptions(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if sub.State == live.SubActive {
			data.Subs = append(data.Subs, *localSub(sub, r))
		}
	}
	data.Page = s.page(w, r, "Your dashboard")
	return s.render(w, http.StatusOK, "client_dashboard", data)
}

// readerDashboardPage is the data of the reader dashboard (DASH-R).
type readerDashboardPage struct {
	Page
	Reader   reader.Profile
	Complete []string // what the profile still lacks before clients see it
	Requests []reading.Reading
	Readings []reading.Reading
	Figures  readerFigures
	Chart    template.HTML // the earnings trend (DASH-R)
	Days     []int         // the trend lengths offered
	Errors   map[string]string
	Reviews  []reading.Review
	Bookings []bookingItem // the next scheduled readings booked with the reader (SCH-7)
	Zone     string        // the zone their times are shown in

	Subscribers int // how many people the reader's monthly subscription admits now (LIV-3)
}

// readerDashboardShow renders the reader's dashboard: reading requests,
// presence switch, verification status, earnings today, this week and this
// month by source with what is available, the next payout, a daily
// earnings chart over 30 or 90 days (?days=), reading count and rating,
// upcoming booked readings, rates, how many subscribers they have (LIV-3)
// and what the profile still needs. The requests card follows the
// reader's live events (a request arrives, is taken or ends) by asking,
// through htmx, for itself alone.
func (s *Server) readerDashboardShow(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	p, err := s.Readers.Get(r.Context(), u, u.ID)
	if err != nil {
		return err
	}
	var todo []string
	if p.AvatarKey == "" {
		todo = append(todo, "Add a profile photo")
	}
	if p.Bio == "" {
		todo = append(todo, "Write your bio")
	}
	if len(p.Specialties) == 0 {
		todo = append(todo, "Choose your specialties")
	}
	if p.Rates.Min() == 0 {
		todo = append(todo, "Set a rate for at least one kind of reading")
	}
	data := readerDashboardPage{Reader: p, Complete: todo}
	all, err := s.Readings.List(r.Context(), u.ID, reading.Reader, 50)
	if err != nil {
		return err
	}
	for _, rd := range all {
		if rd.State == reading.Waiting || rd.State.Live() {
			data.Requests = append(data.Requests, rd)
		} else if len(data.Readings) < 5 {
			data.Readings = append(data.Readings, rd)
		}
	}
	if r.Header.Get("HX-Request") == "true" {
		return s.renderBlock(w, http.StatusOK, "reader_dashboard", "requests", data)
	}
	data.Page = s.page(w, r, "Reader dashboard")
	days, status := trendDays[0], http.StatusOK
	if n, err := trendDaysOf(r); err != nil {
		data.Errors, status = apperr.As(err).Fields, http.StatusBadRequest
	} else {
		days = n
	}
	data.Days = trendDays
	if data.Figures, err = s.readerFiguresOf(r.Context(), p, s.Clock.Now(), days); err != nil {
		return err
	}
	if data.Chart, err = trendChart("earnings-trend", fmt.Sprintf("Your earnings, last %d days", days), "Earned", data.Figures.Trend); err != nil {
		return err
	}
	if data.Reviews, _, err = s.Readings.Reviews(r.Context(), u.ID, reading.ReviewsNewest, 3, 0); err != nil {
		return err
	}
	if data.Bookings, err = s.upcomingBookings(r); err != nil {
		return err
	}
	if data.Subscribers, err = s.Live.SubscriberCount(r.Context(), u.ID); err != nil {
		return err
	}
	data.Zone = u.Location().String()
	return s.render(w, status, "reader_dashboard", data)
}

// dashboardBookings is how many upcoming bookings a dashboard lists.
const dashboardBookings = 3

// upcomingBookings is the signed-in user's next few scheduled readings, as
// client or reader, on their clock.
func (s *Server) upcomingBookings(r *http.Request) ([]bookingItem, error) {
	list, err := s.Schedule.Bookings(r.Context(), userOf(r).ID, "upcoming")
	if err != nil {
		return nil, err
	}
	return s.bookingItems(r, list[:min(len(list), dashboardBookings)]), nil
}

// trendDaysOf reads how many days a trend chart covers from ?days=: the
// first of trendDays when absent, else one of them; anything else is a
// field error.
func trendDaysOf(r *http.Request) (int, error) {
	v := r.URL.Query().Get("days")
	if v == "" {
		return trendDays[0], nil
	}
	n, err := strconv.Atoi(v)
	if err == nil && slices.Contains(trendDays, n) {
		return n, nil
	}
	return 0, apperr.Validation(map[string]string{"days": fmt.Sprintf("Choose %d or %d days.", trendDays[0], trendDays[1])})
}
