package demo

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/message"
)

// conversation is the demo client's exchange with Luna: their question, her
// free answer and a paid reply still locked, so both inboxes show a
// conversation and the client a reply to unlock (MSG-1, MSG-3, MSG-4).
var conversation = []struct {
	fromReader, paid bool
	body             string
}{
	{false, false, "Hi Luna! I have an offer for a job in another city and I can't decide whether to take it. Could you look at it for me?"},
	{true, false, "Thank you for writing, Alex. I pulled three cards for you: the Eight of Cups, the Star and the Knight of Wands. Change is calling — I've sent you a fuller reading below."},
	{true, true, "The Eight of Cups says you already feel what you have outgrown. The Star promises the move brings hope rather than loss, and the Knight of Wands asks you to decide quickly: offers like this one reward courage. Before you say yes, ask them about the team you would join — that is where the cards show a question mark."},
}

// seedConversation has the demo client and Luna exchange the conversation
// above, unless they already have one.
func seedConversation(ctx context.Context, a *app.App, client account.User) error {
	luna, err := a.Accounts.GetByEmail(ctx, readers[0].email)
	if err != nil {
		return err
	}
	if _, ok, err := a.Messages.ConversationWith(ctx, client, luna.ID); err != nil || ok {
		return err
	}
	for _, m := range conversation {
		from, to := client, luna.ID
		if m.fromReader {
			from, to = luna, client.ID
		}
		if _, err := a.Messages.Send(ctx, from, message.SendInput{To: to, Body: m.body, Paid: m.paid}); err != nil {
			return fmt.Errorf("demo: message: %w", err)
		}
	}
	return nil
}
