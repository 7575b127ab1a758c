package web_test

import (
	"bytes"
	"net"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/errreport/sentrytest"
)

// EXT-5: the app, given a Sentry DSN, reports a background job that
// fails: an email whose SMTP server is down reaches Sentry as a failed
// mail.deliver job, without the address it was for.
func TestJobFailureInAppReportedToSentry_EXT5(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fake := sentrytest.Start(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			down := ln.Addr().String()
			ln.Close()
			s := apptest.Start(t, e, apptest.WithConfig(func(c *config.Config) {
				c.SentryDSN, c.SMTPURL = fake.DSN, "smtp://"+down
			}))
			if s.App.Errors == nil {
				t.Fatal("no error reporter with a DSN configured")
			}
			u := s.CreateUser("cleo@example.com", account.RoleClient)
			if err := s.App.Accounts.RequestPasswordReset(ctx, u.Email); err != nil {
				t.Fatal(err)
			}
			env := fake.Next(t, func(e sentrytest.Envelope) bool { return e.Event.Tags["job_kind"] == "mail.deliver" })
			if env.Event.Environment != "production" || !bytes.Contains(env.Raw, []byte("mail: dial "+down)) {
				t.Errorf("environment %q, exceptions %+v: want production and the failed dial", env.Event.Environment, env.Event.Exception)
			}
			if bytes.Contains(env.Raw, []byte(u.Email)) {
				t.Errorf("the report holds the recipient's address:\n%s", env.Raw)
			}
		})
	}
}
