package web

import (
	"net/http"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/message"
)

// inboxPage is the data of the inbox.
type inboxPage struct {
	Page
	Filter        message.Filter
	Query         string // the filter as a query string, for live refreshes
	Conversations []message.Conversation
	Searching     bool
	Found         []message.Found
	People        []message.Person // everyone the user has a conversation with
	Errors        map[string]string
	Earnings      *message.Earnings // a reader's paid replies
	PaidPrice     int64             // a reader's paid-reply price
}

// messagesShow renders the inbox (MSG-5): the user's conversations with
// unread badges — all, unread, with paid replies or with one person — or,
// given words to find, the messages holding them. A reader also sees what
// their paid replies earned (MSG-6). htmx asks for the list alone when a
// message arrives.
func (s *Server) messagesShow(w http.ResponseWriter, r *http.Request) error {
	ctx, u := r.Context(), userOf(r)
	q := r.URL.Query()
	data := inboxPage{Page: s.page(w, r, "Messages"), Query: queryString(q)}
	status := http.StatusOK
	f, err := parseMessageFilter(q)
	if e := apperr.As(err); e != nil {
		data.Errors, status, f = e.Fields, http.StatusBadRequest, message.Filter{}
	}
	data.Filter, data.Searching = f, f.Query != ""
	if data.Searching {
		data.Found, err = s.Messages.Search(ctx, u, f)
	} else {
		data.Conversations, err = s.Messages.Conversations(ctx, u, f)
	}
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		data.Errors, status = e.Fields, http.StatusBadRequest
	} else if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		return s.renderBlock(w, status, "messages", "inbox", data)
	}
	all, err := s.Messages.Conversations(ctx, u, message.Filter{Limit: message.MaxLimit})
	if err != nil {
		return err
	}
	for _, c := range all {
		data.People = append(data.People, c.With)
	}
	if u.Role == account.RoleReader {
		e, err := s.Messages.PaidReplyEarnings(ctx, u.ID)
		if err != nil {
			return err
		}
		p, err := s.Readers.Get(ctx, u, u.ID)
		if err != nil {
			return err
		}
		data.Earnings, data.PaidPrice = &e, p.PaidReplyCents
	}
	return s.render(w, status, "messages", data)
}
