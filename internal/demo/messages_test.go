package demo_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/message"
)

// MSG-1, MSG-3, MSG-4: the demo client has a conversation with Luna holding
// a free answer and a paid reply still locked for the client, which Luna
// reads; loading the demo again adds nothing.
func TestDemoConversation_MSG3(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		client, err := s.App.Accounts.GetByEmail(ctx, demo.ClientEmail)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.App.Messages.Conversations(ctx, client, message.Filter{})
		if err != nil || len(list) != 1 || list[0].With.DisplayName != "Luna Starweaver" || list[0].Unread != 2 {
			t.Fatalf("the demo client's conversations: %+v %v", list, err)
		}
		msgs, _, err := s.App.Messages.Messages(ctx, client, list[0].ID, message.Filter{})
		if err != nil || len(msgs) != 3 {
			t.Fatalf("%d messages, want 3: %v", len(msgs), err)
		}
		if m := msgs[1]; m.Paid || m.Body == "" {
			t.Errorf("the free answer reads %+v", m)
		}
		paid := msgs[2]
		if !paid.Paid || !paid.Locked || paid.Body != "" || paid.PriceCents != 100 {
			t.Errorf("the paid reply reads %+v for the client", paid)
		}
		luna, err := s.App.Accounts.GetByEmail(ctx, "luna@soulseer.demo")
		if err != nil {
			t.Fatal(err)
		}
		if m, err := s.App.Messages.Message(ctx, luna, paid.ID); err != nil || m.Body == "" {
			t.Errorf("Luna reads her paid reply as %+v %v", m, err)
		}
	})
}
