package forum

import (
	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
)

// MayWrite reports, as the error CreateThread would give, whether u may
// start a thread in c: signed in, c open, a reader or admin where c is
// readers-only. Pages use it to offer a composer or say why not.
func MayWrite(u account.User, c Category) error { return mayWrite(u, c) }

// MayReply reports, as the error Reply would give, whether u may reply to
// t in c: as MayWrite, t not hidden (COM-7), and t not locked unless u is
// an admin.
func MayReply(u account.User, c Category, t Thread) error {
	if err := mayWrite(u, c); err != nil {
		return err
	}
	if t.Hidden {
		return apperr.Errorf(apperr.Conflict, "This thread is hidden: it takes no replies while it is.")
	}
	if t.Locked && u.Role != account.RoleAdmin {
		return apperr.Errorf(apperr.Conflict, "This thread is locked: it takes no more replies.")
	}
	return nil
}

// MayChange reports, as the error EditPost and DeletePost would give,
// whether who may edit or delete p: its author or an admin, while it
// stands.
func MayChange(who account.User, p Post) error { return mayChange(who, p) }
