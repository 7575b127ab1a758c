package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
)

// FormerMemberEmail is the demo client who replied in the forum and then
// deleted their account (SEC-2): the thread shows what others see of a
// deleted account — "Deleted user", the text removed.
const FormerMemberEmail = "rowan@soulseer.demo"

// deleteFormerMember deletes the former member's account the way they
// would: asking with their password, then confirming through the link
// emailed to them.
func deleteFormerMember(ctx context.Context, a *app.App) error {
	u, err := a.Accounts.GetByEmail(ctx, FormerMemberEmail)
	if err != nil {
		return err
	}
	if _, err := a.Accounts.RequestDeletion(ctx, u.ID, Password, ""); err != nil {
		return err
	}
	mails, err := a.Mail.Recent(ctx, u.Email, 1)
	if err != nil {
		return err
	}
	const link = "/accounts/delete-account/confirm?token="
	if len(mails) == 0 || !strings.Contains(mails[0].Body, link) {
		return fmt.Errorf("demo: no deletion link was sent to %s", u.Email)
	}
	_, token, _ := strings.Cut(mails[0].Body, link)
	token, _, _ = strings.Cut(token, "\n")
	return a.Deletion.Delete(ctx, token)
}

// formerMember returns the former member's account, creating it.
func formerMember(ctx context.Context, a *app.App) (account.User, error) {
	return ensureUser(ctx, a, "Rowan Ash", FormerMemberEmail, account.RoleClient)
}
