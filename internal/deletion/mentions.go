package deletion

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/db"
)

// mentions are the texts written for other people that may name someone:
// notifications and email (with its calendar files) sent to others, audit details and ledger memos
// ("Paid reply from …").
var mentions = []struct{ table, column string }{
	{"notifications", "title"},
	{"notifications", "body"},
	{"outbox", "subject"},
	{"outbox", "body"},
	{"outbox", "attachment"}, // a calendar invitation names the other party
	{"audit_log", "details"},
	{"ledger_transfers", "memo"},
}

// minNameLen is the shortest name taken out of others' texts: a shorter
// one would match inside ordinary words.
const minNameLen = 3

// scrubMentions takes u's name and address out of what others were told,
// writing account.DeletedName in their place; the email sent to u is
// deleted, as is the preview of what u wrote in others' message
// notifications.
func scrubMentions(ctx context.Context, tx *db.Tx, u account.User) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE to_addr = $1`, u.Email); err != nil {
		return fmt.Errorf("deletion: own email: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notifications SET body = '' WHERE kind = 'message' AND title LIKE $1 ESCAPE '\'`,
		"%"+likeEscape(u.DisplayName)+"%"); err != nil {
		return fmt.Errorf("deletion: message previews: %w", err)
	}
	names := []string{u.Email}
	if utf8.RuneCountInString(u.DisplayName) >= minNameLen {
		names = append(names, u.DisplayName)
	}
	for _, name := range names {
		for _, m := range mentions {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %[1]s SET %[2]s = REPLACE(%[2]s, $1, $2) WHERE %[2]s LIKE $3 ESCAPE '\'`, m.table, m.column),
				name, account.DeletedName, "%"+likeEscape(name)+"%"); err != nil {
				return fmt.Errorf("deletion: mentions in %s: %w", m.table, err)
			}
		}
	}
	return nil
}

// likeEscape makes s match itself in a LIKE pattern escaped with '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
