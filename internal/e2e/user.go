package e2e

import (
	"context"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apptest"
)

// CreateUser makes an account with a proper name (for the pictures) and
// the password apptest.Password; an admin signs in with two-factor codes.
func CreateUser(t *testing.T, s *apptest.Server, name, email string, role account.Role) account.User {
	t.Helper()
	return s.CreateNamedUser(name, email, role)
}

// UserID returns the id of the account with the email.
func (st *Story) UserID(email string) int64 {
	st.T.Helper()
	return st.User(email).ID
}

// User returns the account with the email, such as a demo account.
func (st *Story) User(email string) account.User {
	st.T.Helper()
	u, err := st.S.App.Accounts.GetByEmail(context.Background(), email)
	if err != nil {
		st.T.Fatal(err)
	}
	return u
}
