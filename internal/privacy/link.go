package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/filestore"
	"github.com/soulseer/soulseer/internal/signing"
)

// keyName names the secret export links are signed with.
const keyName = "data-exports"

// signedFor names what an export link's signature covers: its owner, the
// export and when the link expires (Unix seconds).
func signedFor(userID, exportID, expires int64) []any {
	return []any{"data-export", userID, exportID, expires}
}

// downloadPath is the local link to a ready export: signed for its owner
// and working until the export expires. It may make the signing key, so
// it is never called inside a transaction (SQLite has one writer).
func (s *Service) downloadPath(ctx context.Context, e Export) (string, error) {
	key, err := signing.Key(ctx, s.DB, keyName, s.Clock.Now())
	if err != nil {
		return "", err
	}
	expires := e.ExpiresAt.Unix()
	q := url.Values{"e": {strconv.FormatInt(expires, 10)}, "s": {signing.Sign(key, signedFor(e.UserID, e.ID, expires)...)}}
	return "/accounts/export/" + strconv.FormatInt(e.ID, 10) + "/download?" + q.Encode(), nil
}

// link refusals: a link signed for someone else or altered (403), or past
// its seven days (410, with the way to a new export).
var (
	errBadLink     = apperr.Errorf(apperr.Forbidden, "This download link is not yours or has been altered. Sign in as the person who asked for the export, or ask for your own.")
	errExpiredLink = apperr.Errorf(apperr.Gone, "This export has expired: exports can be downloaded for 7 days. Ask for a new one on Export your data.")
)

// Open opens export id's file for viewer through a link that expires at
// expires (Unix seconds) with signature sig (SEC-1): it must be signed for
// this viewer and export (else Forbidden), not expired (else Gone), and
// the export still there and ready.
func (s *Service) Open(ctx context.Context, viewer account.User, id, expires int64, sig string) (*filestore.File, Export, error) {
	key, err := signing.Key(ctx, s.DB, keyName, s.Clock.Now())
	if err != nil {
		return nil, Export{}, err
	}
	if !signing.Valid(key, sig, signedFor(viewer.ID, id, expires)...) {
		return nil, Export{}, errBadLink
	}
	if s.Clock.Now().Unix() >= expires {
		return nil, Export{}, errExpiredLink
	}
	e, err := s.scanExport(s.DB.Read().QueryRowContext(ctx, `SELECT `+exportColumns+` FROM data_exports WHERE id = $1 AND user_id = $2`, id, viewer.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Export{}, apperr.Errorf(apperr.NotFound, "There is no such export.")
	}
	if err != nil {
		return nil, Export{}, fmt.Errorf("privacy: open export: %w", err)
	}
	if e.State != StateReady {
		return nil, Export{}, errExpiredLink
	}
	f, err := s.Files.Open(ctx, e.fileKey)
	if err != nil {
		return nil, Export{}, err
	}
	return f, e, nil
}
