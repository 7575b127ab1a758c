package reader

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/notify"
)

// ApplicationStatus is where an application to become a reader stands.
type ApplicationStatus string

// The application statuses.
const (
	ApplicationPending  ApplicationStatus = "pending"
	ApplicationApproved ApplicationStatus = "approved"
	ApplicationRejected ApplicationStatus = "rejected"
)

// Application is what a client sends to become a reader (ACC-8).
type Application struct {
	ID              int64
	UserID          int64
	Email           string // the applicant's, for admins
	AvatarKey       string // the applicant's account photo
	DisplayName     string
	Specialties     []string
	YearsExperience int
	Languages       []string
	Bio             string
	SampleReading   string
	KYCConsentAt    time.Time
	Status          ApplicationStatus
	Reason          string // why it was rejected
	DecidedAt       time.Time
	CreatedAt       time.Time
}

// ApplicationInput is a client's application to become a reader.
type ApplicationInput struct {
	DisplayName     string
	Specialties     []string
	YearsExperience int
	Languages       []string
	Bio             string
	SampleReading   string
	KYCConsent      bool // agrees to an identity check
}

// Lengths, in characters, of an application's texts: a bio that says who
// the applicant is and a sample reading long enough to judge their work.
const (
	MinApplicationBio   = 50
	MinSampleReading    = 200
	MaxSampleReading    = 4000
	MaxRejectReasonLen  = 1000
	maxApplicationsList = 200
)

// Validate normalises the application as a profile edit would and checks
// what an application needs besides: at least one specialty and one
// language, a bio of MinApplicationBio characters, a sample reading of
// MinSampleReading to MaxSampleReading characters and consent to an
// identity check.
func (in *ApplicationInput) Validate() error {
	p := ProfileInput{DisplayName: in.DisplayName, Bio: &in.Bio, Specialties: &in.Specialties,
		YearsExperience: &in.YearsExperience, Languages: &in.Languages}
	_, err := p.Validate()
	fields := map[string]string{}
	if e := apperr.As(err); e != nil {
		fields = e.Fields
	} else if err != nil {
		return err
	}
	in.DisplayName, in.Bio, in.Specialties, in.Languages = p.DisplayName, *p.Bio, *p.Specialties, *p.Languages
	if len(in.Specialties) == 0 && fields["specialties"] == "" {
		fields["specialties"] = "Choose at least one specialty."
	}
	if len(in.Languages) == 0 && fields["languages"] == "" {
		fields["languages"] = "Name at least one language you read in."
	}
	if utf8.RuneCountInString(in.Bio) < MinApplicationBio && fields["bio"] == "" {
		fields["bio"] = fmt.Sprintf("Tell clients about yourself in at least %d characters.", MinApplicationBio)
	}
	in.SampleReading = strings.TrimSpace(strings.ReplaceAll(in.SampleReading, "\r\n", "\n"))
	if n := utf8.RuneCountInString(in.SampleReading); n < MinSampleReading || n > MaxSampleReading {
		fields["sample_reading"] = fmt.Sprintf("Write a sample reading of %d to %d characters (this one has %d).", MinSampleReading, MaxSampleReading, n)
	}
	if !in.KYCConsent {
		fields["kyc_consent"] = "Agree to the identity check to apply."
	}
	return apperr.Validation(fields)
}

const applicationColumns = `a.id, a.user_id, u.email, u.avatar_key, a.display_name, a.specialties, a.years_experience, a.languages,
	a.bio, a.sample_reading, a.kyc_consent_at, a.status, a.reason, a.decided_at, a.created_at`

const applicationFrom = ` FROM reader_applications a JOIN users u ON u.id = a.user_id`

func scanApplication(row interface{ Scan(...any) error }) (Application, error) {
	var a Application
	var specs, langs string
	var consent, created int64
	var decided sql.NullInt64
	if err := row.Scan(&a.ID, &a.UserID, &a.Email, &a.AvatarKey, &a.DisplayName, &specs, &a.YearsExperience, &langs,
		&a.Bio, &a.SampleReading, &consent, &a.Status, &a.Reason, &decided, &created); err != nil {
		return Application{}, err
	}
	a.Specialties, a.Languages = splitList(specs), splitList(langs)
	a.KYCConsentAt, a.DecidedAt, a.CreatedAt = db.Time(consent), db.NullTime(decided), db.Time(created)
	return a, nil
}

func (s *Service) application(ctx context.Context, q db.Querier, where string, args ...any) (Application, error) {
	a, err := scanApplication(q.QueryRowContext(ctx, "SELECT "+applicationColumns+applicationFrom+" WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Application{}, apperr.Errorf(apperr.NotFound, "No such application.")
	}
	if err != nil {
		return Application{}, fmt.Errorf("reader: application: %w", err)
	}
	return a, nil
}

// Apply records a client's application to become a reader and tells them
// it arrived (ACC-8). Only clients apply, with one application waiting at
// a time; after a rejection they may apply again.
func (s *Service) Apply(ctx context.Context, u account.User, in ApplicationInput) (Application, error) {
	if u.Role != account.RoleClient {
		return Application{}, apperr.Errorf(apperr.Conflict, "Only clients apply to become readers; your account is already a %s account.", u.Role)
	}
	if err := in.Validate(); err != nil {
		return Application{}, err
	}
	var a Application
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO reader_applications (user_id, display_name, specialties, years_experience, languages,
			bio, sample_reading, kyc_consent_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			u.ID, in.DisplayName, strings.Join(in.Specialties, ","), in.YearsExperience, strings.Join(in.Languages, ", "),
			in.Bio, in.SampleReading, now).Scan(&id)
		if s.DB.IsUniqueViolation(err) {
			return apperr.Errorf(apperr.Conflict, "Your application is already waiting for review; you will hear from us by email.")
		}
		if err != nil {
			return err
		}
		if a, err = s.application(ctx, tx, "a.id = $1", id); err != nil {
			return err
		}
		return s.Mail.Send(ctx, tx, mail.Message{To: u.Email, Subject: "We received your application to read on SoulSeer",
			Body: fmt.Sprintf("Hello %s,\n\nThank you for applying to become a reader. An admin will review your application "+
				"and check your identity as you agreed; we will email you the decision. You can see where it stands on your dashboard: %s/dashboard\n\n— SoulSeer\n",
				in.DisplayName, s.BaseURL)})
	})
	if err != nil && apperr.As(err) == nil {
		err = fmt.Errorf("reader: apply: %w", err)
	}
	return a, err
}

// MyApplication returns the user's latest application (ACC-8).
func (s *Service) MyApplication(ctx context.Context, userID int64) (Application, error) {
	return s.application(ctx, s.DB.Read(), "a.user_id = $1 ORDER BY a.id DESC LIMIT 1", userID)
}

// Applications lists applications for the admin queue: those with the
// status (all when status is ""), waiting ones oldest first, decided ones
// newest first, at most 200.
func (s *Service) Applications(ctx context.Context, status ApplicationStatus) ([]Application, error) {
	where, order, args := "", "a.created_at DESC, a.id DESC", []any{}
	switch status {
	case "":
	case ApplicationPending, ApplicationApproved, ApplicationRejected:
		where, args = " WHERE a.status = $1", append(args, status)
		if status == ApplicationPending {
			order = "a.created_at ASC, a.id ASC"
		}
	default:
		return nil, apperr.Validation(map[string]string{"status": "Use pending, approved or rejected."})
	}
	rows, err := s.DB.Read().QueryContext(ctx, "SELECT "+applicationColumns+applicationFrom+where+
		fmt.Sprintf(" ORDER BY %s LIMIT %d", order, maxApplicationsList), args...)
	if err != nil {
		return nil, fmt.Errorf("reader: applications: %w", err)
	}
	defer rows.Close()
	out := []Application{}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, fmt.Errorf("reader: applications: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// decide claims a waiting application for admin's decision inside tx, so
// two admins (or a double click) decide it once; a decided one is a
// conflict.
func (s *Service) decide(ctx context.Context, tx *db.Tx, admin account.User, id int64, status ApplicationStatus, reason string) (Application, error) {
	if admin.Role != account.RoleAdmin {
		return Application{}, apperr.Errorf(apperr.Forbidden, "Only admins decide applications.")
	}
	a, err := s.application(ctx, tx, "a.id = $1", id)
	if err != nil {
		return Application{}, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE reader_applications SET status = $1, reason = $2, decided_by = $3, decided_at = $4
		WHERE id = $5 AND status = 'pending'`, status, reason, admin.ID, db.Millis(s.Clock.Now()), id)
	if err != nil {
		return Application{}, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Application{}, apperr.Errorf(apperr.Conflict, "This application was already %s.", a.Status)
	}
	return s.application(ctx, tx, "a.id = $1", id)
}

// ApproveApplication makes the applicant a reader (ACC-8, ACC-5): their
// profile is filled from the application, and since the admin approves
// only after the identity check the applicant agreed to, the reader is
// verified and their KYC status approved at once — clients find them as
// soon as they set a rate. A reader demoted earlier keeps their ratings.
// The decision is audited and the applicant told by email and in the
// notification centre.
func (s *Service) ApproveApplication(ctx context.Context, admin account.User, id int64) (Application, error) {
	var a Application
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if a, err = s.decide(ctx, tx, admin, id, ApplicationApproved, ""); err != nil {
			return err
		}
		now := db.Millis(s.Clock.Now())
		res, err := tx.ExecContext(ctx, `UPDATE users SET role = 'reader', display_name = $1, updated_at = $2 WHERE id = $3 AND role = 'client'`,
			a.DisplayName, now, a.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.Conflict, "%s is no longer a client, so the application cannot make them a reader.", a.Email)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reader_profiles (user_id, bio, years_experience, languages, is_verified, verified_at,
			kyc_status, status_changed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, TRUE, $5, $6, $5, $5, $5)
			ON CONFLICT (user_id) DO UPDATE SET bio = excluded.bio, years_experience = excluded.years_experience,
			languages = excluded.languages, is_verified = TRUE, verified_at = excluded.verified_at, kyc_status = excluded.kyc_status,
			updated_at = excluded.updated_at`, a.UserID, a.Bio, a.YearsExperience, strings.Join(a.Languages, ", "), now, KYCApproved); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM reader_specialties WHERE reader_id = $1`, a.UserID); err != nil {
			return err
		}
		for _, sp := range a.Specialties {
			if _, err := tx.ExecContext(ctx, `INSERT INTO reader_specialties (reader_id, specialty) VALUES ($1, $2)`, a.UserID, sp); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "reader.application_approve", Model: "reader_application",
			ObjectID: fmt.Sprint(a.ID), Details: map[string]any{"user_id": a.UserID}, At: db.Time(now)}); err != nil {
			return err
		}
		if err := s.Notify.Send(ctx, tx, notify.Notification{UserID: a.UserID, Kind: notify.KindApplication,
			Title: "You are now a SoulSeer reader", Body: "Your application is approved. Set your rates and go online from your reader dashboard.",
			URL: "/reader/dashboard"}); err != nil {
			return err
		}
		return s.Mail.Send(ctx, tx, mail.Message{To: a.Email, Subject: "Welcome to SoulSeer as a reader",
			Body: fmt.Sprintf("Hello %s,\n\nYour application is approved: you are now a verified SoulSeer reader. "+
				"Set your rates and go online from your reader dashboard, and clients will find you in the directory:\n\n%s/reader/dashboard\n\n— SoulSeer\n",
				a.DisplayName, s.BaseURL)})
	})
	if err != nil && apperr.As(err) == nil {
		err = fmt.Errorf("reader: approve application: %w", err)
	}
	return a, err
}

// RejectApplication turns an application down with the reason the
// applicant is told by email and in the notification centre (ACC-8); they
// stay a client and may apply again. Audited.
func (s *Service) RejectApplication(ctx context.Context, admin account.User, id int64, reason string) (Application, error) {
	reason = strings.TrimSpace(strings.ReplaceAll(reason, "\r\n", "\n"))
	if n := utf8.RuneCountInString(reason); n == 0 || n > MaxRejectReasonLen {
		return Application{}, apperr.Validation(map[string]string{"reason": fmt.Sprintf("Tell the applicant why, in 1 to %d characters.", MaxRejectReasonLen)})
	}
	var a Application
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if a, err = s.decide(ctx, tx, admin, id, ApplicationRejected, reason); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "reader.application_reject", Model: "reader_application",
			ObjectID: fmt.Sprint(a.ID), Details: map[string]any{"user_id": a.UserID, "reason": reason}, At: a.DecidedAt}); err != nil {
			return err
		}
		if err := s.Notify.Send(ctx, tx, notify.Notification{UserID: a.UserID, Kind: notify.KindApplication,
			Title: "Your application to become a reader was not approved", Body: reason, URL: "/become-a-reader"}); err != nil {
			return err
		}
		return s.Mail.Send(ctx, tx, mail.Message{To: a.Email, Subject: "Your application to read on SoulSeer",
			Body: fmt.Sprintf("Hello %s,\n\nThank you for applying to become a reader. We cannot approve your application as it is:\n\n%s\n\n"+
				"You are welcome to apply again: %s/become-a-reader\n\n— SoulSeer\n", a.DisplayName, reason, s.BaseURL)})
	})
	if err != nil && apperr.As(err) == nil {
		err = fmt.Errorf("reader: reject application: %w", err)
	}
	return a, err
}
