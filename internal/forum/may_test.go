package forum_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/forum"
)

// COM-2: what pages ask before offering a composer or Edit and Delete is
// what the service decides: visitors log in, clients stay out of
// readers-only categories, locked threads take admins' replies only, and
// only a post's author or an admin changes it.
func TestMayWriteReplyChange_COM2(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		th := w.thread(t, w.client, "Hello", "first")
		wantCode(t, "a visitor", forum.MayWrite(account.User{}, w.general), apperr.Unauthorized)
		wantCode(t, "a client in the lounge", forum.MayWrite(w.client, w.readersOnly), apperr.Forbidden)
		wantCode(t, "a reader in the lounge", forum.MayWrite(w.reader, w.readersOnly), "")
		yes := true
		locked, err := w.forum.ChangeThread(ctx, w.admin, th.ID, forum.ThreadChange{Locked: &yes})
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a client replying to a locked thread", forum.MayReply(w.client, w.general, locked), apperr.Conflict)
		wantCode(t, "an admin replying to a locked thread", forum.MayReply(w.admin, w.general, locked), "")
		wantCode(t, "a client replying to an open thread", forum.MayReply(w.client, w.general, th), "")
		_, posts, _, err := w.forum.Thread(ctx, th.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, "the author", forum.MayChange(w.client, posts[0]), "")
		wantCode(t, "an admin", forum.MayChange(w.admin, posts[0]), "")
		wantCode(t, "another client", forum.MayChange(w.other, posts[0]), apperr.Forbidden)
	})
}
