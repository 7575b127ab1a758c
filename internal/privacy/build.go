package privacy

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/notify"
)

// Build builds export id (SEC-1): every section of its owner's data as a
// JSON file with a README, zipped, stored in the file store, the export
// made ready for ExportTTL, and its owner told in the app and by email
// with the link, in the transaction that makes it ready. An export no
// longer building (built already by an earlier run, or gone with its
// account) is left as it is, so the job may run twice.
func (s *Service) Build(ctx context.Context, id int64) error {
	var userID int64
	var state State
	err := s.DB.Read().QueryRowContext(ctx, `SELECT user_id, state FROM data_exports WHERE id = $1`, id).Scan(&userID, &state)
	if errors.Is(err, sql.ErrNoRows) || err == nil && state != StateBuilding {
		return nil
	}
	if err != nil {
		return fmt.Errorf("privacy: build export %d: %w", id, err)
	}
	now := s.Clock.Now()
	data, err := s.archive(ctx, userID, now)
	if err != nil {
		return fmt.Errorf("privacy: build export %d: %w", id, err)
	}
	name := make([]byte, 16)
	_, _ = rand.Read(name)
	key := "exports/" + strconv.FormatInt(userID, 10) + "/" + hex.EncodeToString(name) + ".zip"
	if err := s.Files.Put(ctx, key, "application/zip", data); err != nil {
		return err
	}
	e := Export{ID: id, UserID: userID, State: StateReady, Bytes: int64(len(data)), ReadyAt: now, ExpiresAt: now.Add(ExportTTL).Truncate(time.Second)}
	if e.DownloadURL, err = s.downloadPath(ctx, e); err != nil {
		return errors.Join(err, s.Files.Delete(ctx, key))
	}
	made := false
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE data_exports SET state = 'ready', file_key = $1, bytes = $2, ready_at = $3, expires_at = $4
			WHERE id = $5 AND state = 'building'`, key, e.Bytes, db.Millis(e.ReadyAt), db.Millis(e.ExpiresAt), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			made = false
			return err
		}
		made = true
		return s.tellReady(ctx, tx, e)
	})
	if err != nil || !made {
		return errors.Join(err, s.Files.Delete(ctx, key))
	}
	return nil
}

// tellReady tells the owner of e, ready, where to download it: in the app,
// and by email at once (the notification's receipt) unless they turned
// email of exports off.
func (s *Service) tellReady(ctx context.Context, tx *db.Tx, e Export) error {
	link := e.DownloadURL
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT display_name FROM users WHERE id = $1`, e.UserID).Scan(&name); err != nil {
		return fmt.Errorf("privacy: tell export ready: %w", err)
	}
	until := e.ExpiresAt.Format(dateTime)
	body := "Hello " + name + ",\n\n" +
		"The copy of your SoulSeer data you asked for is ready. Download it here, signed in to your account:\n\n" +
		s.BaseURL + link + "\n\n" +
		"The link works only for you, and only until " + until + "; the file is deleted after that. " +
		"You can ask for a new export once a day at " + s.BaseURL + "/accounts/export/.\n\n" +
		"If you did not ask for this, change your password and check where you are signed in: " + s.BaseURL + "/account\n"
	return s.Notify.Send(ctx, tx, notify.Notification{UserID: e.UserID, Kind: notify.KindExport, URL: link,
		Title: "Your data export is ready", Body: "Download it by " + until + ".",
		Receipt: &mail.Message{Subject: "Your SoulSeer data export is ready", Body: body}})
}

// archive is the ZIP of userID's data: the README, then each section's
// file, every entry dated now.
func (s *Service) archive(ctx context.Context, userID int64, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	readme, err := s.readme(ctx, userID, now)
	if err != nil {
		return nil, err
	}
	if err := add("README.txt", readme); err != nil {
		return nil, err
	}
	for _, sec := range sections {
		v, err := sec.read(ctx, s.DB.Read(), userID)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sec.file, err)
		}
		var doc bytes.Buffer
		enc := json.NewEncoder(&doc)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("%s: %w", sec.file, err)
		}
		if err := add(sec.file, doc.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readme is README.txt: whose data this is, how to read the files, what
// each holds and what no export holds.
func (s *Service) readme(ctx context.Context, userID int64, now time.Time) ([]byte, error) {
	var name, email string
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT display_name, email FROM users WHERE id = $1`, userID).Scan(&name, &email); err != nil {
		return nil, fmt.Errorf("privacy: readme: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Your SoulSeer data\n==================\n\n")
	fmt.Fprintf(&b, "A copy of the data SoulSeer keeps about %s <%s>, account #%d, made on %s.\n\n", name, email, userID, now.UTC().Format(dateTime))
	b.WriteString(`Every other file is JSON (UTF-8). Times are in UTC, written as RFC 3339
(2025-03-04T14:05:00Z); null means it has not happened. Money is in whole US
cents (1250 is $12.50). Other people appear by their account number and
display name only.

Files
-----
`)
	for _, sec := range sections {
		fmt.Fprintf(&b, "\n%s\n  %s\n", sec.file, strings.ReplaceAll(sec.about, "\n", "\n  "))
	}
	b.WriteString(`
Left out
--------

Passwords, two-factor secrets and recovery codes, and API tokens themselves
(only their names and dates are here); paid replies you have not unlocked;
notes other people keep privately; who reported, favourited or blocked you;
copies of the email sent to you; and the operator's own records (the audit
log and the payment processor's messages).
`)
	return []byte(b.String()), nil
}

// markFailed records that export id could not be built: its owner may ask
// for another at once.
func (s *Service) markFailed(ctx context.Context, id int64) error {
	if _, err := s.DB.Writer.ExecContext(ctx, `UPDATE data_exports SET state = 'failed' WHERE id = $1 AND state = 'building'`, id); err != nil {
		return fmt.Errorf("privacy: mark export %d failed: %w", id, err)
	}
	return nil
}

// BuildArgs is the job that builds one export.
type BuildArgs struct {
	ExportID int64 `json:"export_id"`
}

// Kind names the job.
func (BuildArgs) Kind() string { return "privacy.export" }

// BuildWorker runs Build; when its last attempt fails too, the export is
// marked failed, so the page says so and its owner may ask again.
type BuildWorker struct {
	river.WorkerDefaults[BuildArgs]
	Privacy *Service
}

// Work builds the export.
func (w *BuildWorker) Work(ctx context.Context, j *river.Job[BuildArgs]) error {
	err := w.Privacy.Build(ctx, j.Args.ExportID)
	if err != nil && j.Attempt >= j.MaxAttempts {
		w.Privacy.Log.Error("data export failed", "export", j.Args.ExportID, "err", err)
		return errors.Join(err, w.Privacy.markFailed(ctx, j.Args.ExportID))
	}
	return err
}
