package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"

	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

// clientDashboardPage is the data of the client dashboard (DASH-C).
type clientDashboardPage struct {
	Page
	Favorites []reader.Profile
	Online    []reader.Profile
	Entries   []ledger.Entry
	Readings  []reading.Reading
	Spent     int64
	Tokens    []account.APIToken  // the user's working API tokens, to see and revoke (ACC-10)
	Bookings  []bookingItem       // the next few scheduled readings (SCH-7)
	Zone      string              // the zone their times are shown in
	Subs      []live.Subscription // the user's subscriptions to readers while they admit them (LIV-3)
}

// clientDashboardShow renders the client's dashboard, which is every
// user's account page: wallet balance with a top-up button and the last 10
// transactions, the next scheduled readings, favourite readers, their
// subscriptions to readers, who is online now and the user's API tokens.
func (s *Server) clientDashboardShow(w http.ResponseWriter, r *http.Request) error {
	favs, err := s.Readers.Favorites(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	entries, err := s.Ledger.Entries(r.Context(), ledger.Wallet(userOf(r).ID), ledger.EntryFilter{Limit: 10})
	if err != nil {
		return err
	}
	online, _, err := s.Readers.List(r.Context(), reader.Filter{OnlineOnly: true, Limit: 6})
	if err != nil {
		return err
	}
	readings, err := s.Readings.List(r.Context(), userOf(r).ID, reading.Client, 100)
	if err != nil {
		return err
	}
	var spent int64
	for _, rd := range readings {
		spent += rd.TotalCents - rd.CreditedCents
	}
	tokens, err := s.Accounts.APITokens(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	bookings, err := s.upcomingBookings(r)
	if err != nil {
		return err
	}
	subs, err := s.Live.Subscriptions(r.Context(), userOf(r).ID)
	if err != nil {
		return err
	}
	var active []live.Subscription
	for _, sub := range subs {
		if sub.State == live.SubActive {
			active = append(active, *localSub(sub, r))
		}
	}
	return s.render(w, http.StatusOK, "client_dashboard", clientDashboardPage{
		Page: s.page(w, r, "Your dashboard"), Favorites: favs, Online: online, Entries: entries,
		Readings: readings[:min(len(readings), 5)], Spent: spent, Tokens: tokens, Bookings: bookings, Zone: userOf(r).Location().String(),
		Subs: active,
	})
}

// readerDashboardPage is the data of the reader dashboard (DASH-R).
type readerDashboardPage struct {
	Page
	Reader   reader.Profile
	Complete []string // what the profile still lacks before clients see it
	Requests []reading.Reading
	Readings []reading.Reading
	Earnings int64
	Reviews  []reading.Review
	Bookings []bookingItem // the next scheduled readings booked with the reader (SCH-7)
	Zone     string        // the zone their times are shown in

	Subscribers int // how many people the reader's monthly subscription admits now (LIV-3)
}

// readerDashboardShow renders the reader's dashboard: reading requests,
// presence switch, verification status, upcoming booked readings, rates,
// how many subscribers they have (LIV-3) and what the profile still
// needs. The requests card follows the
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
	if data.Earnings, err = s.Ledger.Balance(r.Context(), s.DB.Read(), ledger.Earnings(u.ID)); err != nil {
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
	return s.render(w, http.StatusOK, "reader_dashboard", data)
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
