package upload

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/filestore"
)

// MaxNameLen bounds a stored file name, in bytes.
const MaxNameLen = 100

// Create stores what owner uploaded as name (COM-3). The bytes decide what
// it is: a picture (JPEG, PNG, WebP, GIF) that decodes as one, stored
// encoded again with a thumbnail, or a PDF that is only a PDF. Anything
// else, a file whose name claims another of these types, an empty file,
// one over MaxBytes or one that would take the owner past their quota is
// refused naming the field "file", and nothing is kept.
func (s *Service) Create(ctx context.Context, owner account.User, name string, data []byte) (Upload, error) {
	if owner.ID == 0 {
		return Upload{}, apperr.Errorf(apperr.Unauthorized, "Please log in to upload.")
	}
	refuse := func(msg string) (Upload, error) { return Upload{}, apperr.Validation(map[string]string{"file": msg}) }
	switch {
	case len(data) == 0:
		return refuse("The file is empty.")
	case len(data) > MaxBytes:
		return refuse(fmt.Sprintf("Upload files of at most %d MB.", MaxBytes>>20))
	}
	kind := sniff(data)
	u := Upload{OwnerID: owner.ID, ContentType: kind, CreatedAt: s.Clock.Now()}
	var stored, thumb []byte
	switch kind {
	case "":
		return refuse("Upload a picture (JPEG, PNG, WebP or GIF) or a PDF.")
	case PDF:
		if !checkPDF(data) {
			return refuse("This is not a PDF we can keep: save it again as a PDF and upload that.")
		}
		stored = data
	default:
		p, ok, err := process(data, kind)
		if err != nil {
			return Upload{}, err
		}
		if !ok {
			return refuse("This picture cannot be read: save it again as a JPEG or PNG and upload that.")
		}
		stored, thumb, u.ContentType, u.Width, u.Height = p.data, p.thumb, p.contentType, p.width, p.height
	}
	if ext := strings.ToLower(path.Ext(name)); claimed[ext] != "" && claimed[ext] != kind {
		return refuse(fmt.Sprintf("This file is named %s but it is a %s: name it for what it is and upload it again.", ext, describe[kind]))
	}
	u.Bytes, u.Name = int64(len(stored)), fileName(name, u.ContentType)
	used, err := s.Used(ctx, owner.ID)
	if err != nil {
		return Upload{}, err
	}
	if used+u.Bytes > s.quota() {
		return refuse(fmt.Sprintf("You have used your %d MB for uploads; delete some posts' files first.", s.quota()>>20))
	}
	id := randomID()
	u.key = fmt.Sprintf("uploads/%d/%s", owner.ID, id)
	if err := s.Files.Put(ctx, u.key, u.ContentType, stored); err != nil {
		return Upload{}, err
	}
	if thumb != nil {
		u.thumb = u.key + "-thumb"
		if err := s.Files.Put(ctx, u.thumb, JPEG, thumb); err != nil {
			return Upload{}, err
		}
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO uploads (owner_id, name, content_type, bytes, width, height, file_key, thumb_key, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, owner.ID, u.Name, u.ContentType, u.Bytes, u.Width, u.Height, u.key, u.thumb,
			db.Millis(u.CreatedAt)).Scan(&u.ID)
	})
	if err != nil {
		return Upload{}, fmt.Errorf("upload: create: %w", err)
	}
	return u, nil
}

func (s *Service) quota() int64 {
	if s.QuotaBytes > 0 {
		return s.QuotaBytes
	}
	return DefaultQuotaBytes
}

// Used is how many bytes ownerID keeps uploaded.
func (s *Service) Used(ctx context.Context, ownerID int64) (int64, error) {
	var n int64
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT COALESCE(sum(bytes), 0) FROM uploads WHERE owner_id = $1`, ownerID).Scan(&n); err != nil {
		return 0, fmt.Errorf("upload: used: %w", err)
	}
	return n, nil
}

// claimed is the type a file's name says it has, for the names of the
// accepted types: a file whose bytes say otherwise is refused.
var claimed = map[string]string{".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".gif": GIF, ".webp": WebP, ".pdf": PDF}

// describe names the accepted types for people.
var describe = map[string]string{JPEG: "JPEG picture", PNG: "PNG picture", GIF: "GIF picture", WebP: "WebP picture", PDF: "PDF"}

// extensions are the file name endings of the stored types.
var extensions = map[string]string{JPEG: ".jpg", PNG: ".png", GIF: ".gif", WebP: ".webp", PDF: ".pdf"}

// fileName makes a safe name for a file of contentType from what the
// uploader called it: letters, digits, dots, hyphens and underscores, the
// extension the type has.
func fileName(name, contentType string) string {
	base := strings.TrimSuffix(path.Base(strings.ReplaceAll(name, `\`, "/")), path.Ext(name))
	base = strings.Map(func(r rune) rune {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)), r == '-', r == '_':
			return r
		case unicode.IsSpace(r) || r == '.':
			return '-'
		}
		return -1
	}, base)
	base = strings.Trim(base, "-")
	if base == "" {
		base = "file"
	}
	ext := extensions[contentType]
	return base[:min(len(base), MaxNameLen-len(ext))] + ext
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var errNoUpload = apperr.Errorf(apperr.NotFound, "No such file.")

const uploadColumns = `id, owner_id, name, content_type, bytes, width, height, file_key, thumb_key, created_at, attached_at IS NOT NULL`

func scanUpload(row interface{ Scan(...any) error }) (Upload, error) {
	var u Upload
	var at int64
	if err := row.Scan(&u.ID, &u.OwnerID, &u.Name, &u.ContentType, &u.Bytes, &u.Width, &u.Height, &u.key, &u.thumb, &at, &u.Attached); err != nil {
		return Upload{}, err
	}
	u.CreatedAt = db.Time(at)
	return u, nil
}

// Get returns upload id.
func (s *Service) Get(ctx context.Context, id int64) (Upload, error) {
	u, err := scanUpload(s.DB.Read().QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Upload{}, errNoUpload
	}
	if err != nil {
		return Upload{}, fmt.Errorf("upload: get: %w", err)
	}
	return u, nil
}

// Many returns the uploads ids that exist, by id, in one query through q.
func (s *Service) Many(ctx context.Context, q db.Querier, ids []int64) (map[int64]Upload, error) {
	out := make(map[int64]Upload, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE id IN (`+strings.Join(list, ", ")+`)`)
	if err != nil {
		return nil, fmt.Errorf("upload: many: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUpload(rows)
		if err != nil {
			return nil, fmt.Errorf("upload: many: %w", err)
		}
		out[u.ID] = u
	}
	return out, rows.Err()
}

// Open opens upload u's file, or with thumb its thumbnail (NotFound for a
// PDF, which has none).
func (s *Service) Open(ctx context.Context, u Upload, thumb bool) (*filestore.File, error) {
	if !thumb {
		return s.Files.Open(ctx, u.key)
	}
	if u.thumb == "" {
		return nil, errNoUpload
	}
	return s.Files.Open(ctx, u.thumb)
}
