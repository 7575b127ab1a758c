package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/reader"
)

// sessionOfA is a browser session of client A besides the matrix's token.
func sessionOfA(t *testing.T, m *authzWorld) {
	if _, err := m.s.App.Accounts.NewSession(ctx, m.client.ID, "192.0.2.7", "Matrix browser"); err != nil {
		t.Fatal(err)
	}
	list, err := m.s.App.Accounts.Sessions(ctx, m.client.ID, "")
	if err != nil || len(list) == 0 {
		t.Fatalf("sessions of A: %v %v", list, err)
	}
	m.vals["mysession"] = list[0].ID
}

// emailChangeLink is a fresh client's link to confirm a new address.
func emailChangeLink(t *testing.T, m *authzWorld) {
	m.n++
	u := m.s.CreateUser(fmt.Sprintf("mover%d@example.com", m.n), account.RoleClient)
	to := fmt.Sprintf("moved%d@example.com", m.n)
	if _, err := m.s.App.Accounts.RequestEmailChange(ctx, u.ID, to, apptest.Password); err != nil {
		t.Fatal(err)
	}
	m.vals["emaillink"] = emailLinkToken(t, m.world, to)
}

// emailLinkToken is the token of the latest change-of-address link sent
// to addr.
func emailLinkToken(t *testing.T, w *world, addr string) string {
	t.Helper()
	mails, err := w.s.App.Mail.Recent(ctx, addr, 1)
	if err != nil || len(mails) == 0 {
		t.Fatalf("no email to %s (%v)", addr, err)
	}
	i := strings.Index(mails[0].Body, "/account/email/confirm?token=")
	if i < 0 {
		t.Fatalf("no confirmation link in %q", mails[0].Body)
	}
	u, err := url.Parse(strings.Fields(mails[0].Body[i:])[0])
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

// applicationInput is an application to become a reader that passes.
func applicationInput(name string) reader.ApplicationInput {
	return reader.ApplicationInput{DisplayName: name, Specialties: []string{"tarot"}, YearsExperience: 4, Languages: []string{"English"},
		Bio:           "I read tarot for people at a crossroads, gently and honestly, since 2019.",
		SampleReading: strings.Repeat("The Star card speaks of hope returning after a hard season. ", 5), KYCConsent: true}
}

// pendingApplication is a fresh client's application waiting for review.
func pendingApplication(t *testing.T, m *authzWorld) {
	m.n++
	u := m.s.CreateUser(fmt.Sprintf("hopeful%d@example.com", m.n), account.RoleClient)
	a, err := m.s.App.Readers.Apply(ctx, u, applicationInput(fmt.Sprintf("Hopeful %d", m.n)))
	if err != nil {
		t.Fatal(err)
	}
	m.vals["application"] = id(a.ID)
}

// clientsApplied leaves client A and client B each with an application.
func clientsApplied(t *testing.T, m *authzWorld) {
	for _, u := range []account.User{m.client, m.clientB} {
		if _, err := m.s.App.Readers.MyApplication(ctx, u.ID); err == nil {
			continue
		}
		if _, err := m.s.App.Readers.Apply(ctx, u, applicationInput(u.DisplayName)); err != nil {
			t.Fatal(err)
		}
	}
}

// noApplicationWaiting leaves neither client with an application waiting,
// so either may apply.
func noApplicationWaiting(t *testing.T, m *authzWorld) {
	m.exec(t, `DELETE FROM reader_applications WHERE status = 'pending' AND user_id IN ($1, $2)`, m.client.ID, m.clientB.ID)
}
