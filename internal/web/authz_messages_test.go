package web_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/message"
)

// conversation has client write text to rdr and rdr answer with a paid
// reply of paidText, which stays locked, and returns their conversation.
func (m *authzWorld) conversation(t *testing.T, client, rdr account.User, text, paidText string) int64 {
	t.Helper()
	c, err := m.s.App.Messages.Send(ctx, client, message.SendInput{To: rdr.ID, Body: text})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.s.App.Messages.Send(ctx, rdr, message.SendInput{To: client.ID, Body: paidText, Paid: true}); err != nil {
		t.Fatal(err)
	}
	return c.ConversationID
}

// lockedReplyOfA is a new paid reply of reader A to client A, still locked.
func lockedReplyOfA(t *testing.T, m *authzWorld) {
	m.n++
	r, err := m.s.App.Messages.Send(ctx, m.reader, message.SendInput{To: m.client.ID, Body: "Matrix reply " + id(int64(m.n)), Paid: true})
	if err != nil {
		t.Fatal(err)
	}
	m.vals["paid"] = id(r.ID)
}

// reviewedA is a finished reading of client A with reader A that the client
// reviewed, for the reader to reply to; a reply may be rewritten, so one
// does for every cell.
func reviewedA(t *testing.T, m *authzWorld) {
	if m.vals["reviewed"] != "" {
		return
	}
	finishedReading(t, m)
	if err := m.s.App.Readings.AddReview(ctx, m.client, mustID(t, m.vals["finished"]), 4, "Kind and clear"); err != nil {
		t.Fatal(err)
	}
	m.vals["reviewed"] = m.vals["finished"]
}
