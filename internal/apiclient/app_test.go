package apiclient_test

import (
	"net/http"
	"net/http/cookiejar"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apiclient"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// SEC-6: the generated client works against the running app on every
// engine: it logs in, reads the user and the wallet back, starts a top-up
// and finds it, and reads a refusal as a problem document, every exchange
// following the document.
func TestClientAgainstApp(t *testing.T) {
	t.Parallel()
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			s := apptest.Start(t, e)
			u := s.CreateUser("client@example.com", account.RoleClient)
			jar, _ := cookiejar.New(nil)
			c, err := apiclient.NewClientWithResponses(s.URL, apiclient.WithHTTPClient(&http.Client{Jar: jar}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()

			login, err := c.LogInWithResponse(ctx, apiclient.LoginRequest{Email: u.Email, Password: apptest.Password})
			if err != nil || login.JSON200 == nil || login.JSON200.ID != u.ID || login.JSON200.Role != apiclient.RoleClient {
				t.Fatalf("log in: %v %+v %s", err, login.JSON200, login.Body)
			}
			me, err := c.GetMeWithResponse(ctx)
			if err != nil || me.JSON200 == nil || me.JSON200.Email != u.Email {
				t.Fatalf("me: %v %s", err, me.Body)
			}
			wallet, err := c.GetWalletWithResponse(ctx)
			if err != nil || wallet.JSON200 == nil || wallet.JSON200.BalanceCents != 0 || wallet.JSON200.Currency == "" {
				t.Fatalf("wallet: %v %s", err, wallet.Body)
			}
			created, err := c.CreateTopUpWithResponse(ctx, apiclient.TopUpRequest{AmountCents: 2500})
			if err != nil || created.JSON201 == nil || created.JSON201.AmountCents != 2500 || created.JSON201.Status != apiclient.TopUpStatusPending {
				t.Fatalf("top-up: %v %s", err, created.Body)
			}
			got, err := c.GetTopUpWithResponse(ctx, created.JSON201.ID)
			if err != nil || got.JSON200 == nil || got.JSON200.ID != created.JSON201.ID || got.JSON200.CheckoutURL == "" {
				t.Fatalf("get top-up %d: %v %s", created.JSON201.ID, err, got.Body)
			}
			missing, err := c.GetTopUpWithResponse(ctx, created.JSON201.ID+1000)
			if err != nil || missing.ApplicationProblemJSON404 == nil || missing.ApplicationProblemJSON404.Code != apiclient.ProblemCodeNotFound {
				t.Fatalf("missing top-up: %v %d %s", err, missing.StatusCode(), missing.Body)
			}
		})
	}
}
