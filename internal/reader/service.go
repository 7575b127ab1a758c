package reader

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/notify"
)

// Service manages reader profiles.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	// Mail tells applicants what became of their application (ACC-8), with
	// links to BaseURL.
	Mail    *mail.Mailer
	BaseURL string
	// PresenceTimeout is how recently a reader must have held a live
	// connection to show online (RDR-3); 0 trusts their chosen status alone.
	PresenceTimeout time.Duration
	// Notify tells clients who asked when a reader comes online (RDR-7).
	Notify *notify.Service
}

// Visible reports whether viewer may see reader p: clients and visitors see
// only verified readers (ACC-5); a reader sees their own profile; admins see
// all.
func Visible(p Profile, viewer account.User) bool {
	return p.IsVerified || viewer.Role == account.RoleAdmin || (viewer.ID != 0 && viewer.ID == p.UserID)
}

// Get returns a reader's profile as viewer may see it.
func (s *Service) Get(ctx context.Context, viewer account.User, readerID int64) (Profile, error) {
	p, err := s.get(ctx, s.DB.Read(), readerID)
	if err != nil {
		return Profile{}, err
	}
	if !Visible(p, viewer) {
		return Profile{}, apperr.Errorf(apperr.NotFound, "No such reader.")
	}
	return p, nil
}

// ProfileInput is an edit of a reader's own profile. Nil fields keep their
// current value, except Rates: a modality missing from Rates is switched off.
type ProfileInput struct {
	DisplayName     string
	Tagline         *string
	Bio             *string
	Specialties     *[]string
	YearsExperience *int
	Languages       *[]string
	Rates           RatesInput
	// PaidReplyCents is the price of the reader's paid replies, from
	// MinPaidReplyCents to MaxPaidReplyCents; nil keeps it.
	PaidReplyCents *int64
}

// RatesInput gives a rate per modality; nil switches the modality off.
type RatesInput struct {
	Text  *int64 `json:"text"`
	Voice *int64 `json:"voice"`
	Video *int64 `json:"video"`
}

// Bounds of a reader's paid-reply price, in cents (MSG-3); a new reader's
// is MinPaidReplyCents.
const (
	MinPaidReplyCents int64 = 100
	MaxPaidReplyCents int64 = 50_00
)

// Field limits for profiles.
const (
	MaxTaglineLen    = 100
	MaxBioLen        = 4000
	MaxSpecialties   = 6
	MaxLanguages     = 8
	MaxYearsExpValue = 80
)

// Validate normalises the input and returns field errors.
func (in *ProfileInput) Validate() (Rates, error) {
	fields := map[string]string{}
	var err error
	if in.DisplayName, err = account.NormalizeDisplayName(in.DisplayName); err != nil {
		fields["display_name"] = err.Error()
	}
	if in.Tagline != nil {
		t := strings.TrimSpace(*in.Tagline)
		if utf8.RuneCountInString(t) > MaxTaglineLen {
			fields["tagline"] = fmt.Sprintf("Use at most %d characters.", MaxTaglineLen)
		}
		in.Tagline = &t
	}
	if in.Bio != nil {
		b := strings.TrimSpace(strings.ReplaceAll(*in.Bio, "\r\n", "\n"))
		if utf8.RuneCountInString(b) > MaxBioLen {
			fields["bio"] = fmt.Sprintf("Use at most %d characters.", MaxBioLen)
		}
		in.Bio = &b
	}
	if in.Specialties != nil {
		seen := map[string]bool{}
		var clean []string
		for _, sp := range *in.Specialties {
			sp = strings.ToLower(strings.TrimSpace(sp))
			if SpecialtyName(sp) == "" {
				fields["specialties"] = fmt.Sprintf("%q is not a specialty. Choose from: %s.", sp, specialtySlugs())
				break
			}
			if !seen[sp] {
				seen[sp] = true
				clean = append(clean, sp)
			}
		}
		if len(clean) > MaxSpecialties {
			fields["specialties"] = fmt.Sprintf("Choose at most %d specialties.", MaxSpecialties)
		}
		in.Specialties = &clean
	}
	if in.YearsExperience != nil && (*in.YearsExperience < 0 || *in.YearsExperience > MaxYearsExpValue) {
		fields["years_experience"] = fmt.Sprintf("Enter a number of years from 0 to %d.", MaxYearsExpValue)
	}
	if in.Languages != nil {
		var clean []string
		for _, l := range *in.Languages {
			l = strings.Join(strings.Fields(strings.ReplaceAll(l, ",", " ")), " ")
			if l == "" {
				continue
			}
			if utf8.RuneCountInString(l) > 30 {
				fields["languages"] = "Each language name can have at most 30 characters."
			}
			clean = append(clean, l)
		}
		if len(clean) > MaxLanguages {
			fields["languages"] = fmt.Sprintf("List at most %d languages.", MaxLanguages)
		}
		in.Languages = &clean
	}
	var rates Rates
	for _, r := range []struct {
		m   Modality
		v   *int64
		dst *int64
	}{{Text, in.Rates.Text, &rates.Text}, {Voice, in.Rates.Voice, &rates.Voice}, {Video, in.Rates.Video, &rates.Video}} {
		if r.v == nil {
			continue
		}
		if *r.v < MinRateCents || *r.v > MaxRateCents {
			fields["rates."+string(r.m)] = fmt.Sprintf("Enter a rate from %d to %d cents per minute, or leave it out to switch %s readings off.",
				MinRateCents, MaxRateCents, r.m)
			continue
		}
		*r.dst = *r.v
	}
	if p := in.PaidReplyCents; p != nil && (*p < MinPaidReplyCents || *p > MaxPaidReplyCents) {
		fields["paid_reply_cents"] = fmt.Sprintf("Enter a price from %d to %d cents per paid reply.", MinPaidReplyCents, MaxPaidReplyCents)
	}
	return rates, apperr.Validation(fields)
}

func specialtySlugs() string {
	var s []string
	for _, sp := range specialties {
		s = append(s, sp.Slug)
	}
	return strings.Join(s, ", ")
}

func nullRate(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// UpdateProfile saves a reader's edit of their own profile.
func (s *Service) UpdateProfile(ctx context.Context, readerID int64, in ProfileInput) (Profile, error) {
	rates, err := in.Validate()
	if err != nil {
		return Profile{}, err
	}
	var p Profile
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		cur, err := s.get(ctx, tx, readerID)
		if err != nil {
			return err
		}
		now := db.Millis(s.Clock.Now())
		tagline, bio, years, langs := cur.Tagline, cur.Bio, cur.YearsExperience, cur.Languages
		if in.Tagline != nil {
			tagline = *in.Tagline
		}
		if in.Bio != nil {
			bio = *in.Bio
		}
		if in.YearsExperience != nil {
			years = *in.YearsExperience
		}
		if in.Languages != nil {
			langs = *in.Languages
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET display_name = $1, updated_at = $2 WHERE id = $3`, in.DisplayName, now, readerID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET tagline = $1, bio = $2, years_experience = $3, languages = $4,
			rate_text_cents = $5, rate_voice_cents = $6, rate_video_cents = $7, min_rate_cents = $8, updated_at = $9 WHERE user_id = $10`,
			tagline, bio, years, strings.Join(langs, ", "), nullRate(rates.Text), nullRate(rates.Voice), nullRate(rates.Video),
			nullRate(rates.Min()), now, readerID); err != nil {
			return err
		}
		if in.PaidReplyCents != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET paid_reply_cents = $1 WHERE user_id = $2`, *in.PaidReplyCents, readerID); err != nil {
				return err
			}
		}
		if in.Specialties != nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM reader_specialties WHERE reader_id = $1`, readerID); err != nil {
				return err
			}
			for _, sp := range *in.Specialties {
				if _, err := tx.ExecContext(ctx, `INSERT INTO reader_specialties (reader_id, specialty) VALUES ($1, $2)`, readerID, sp); err != nil {
					return err
				}
			}
		}
		p, err = s.get(ctx, tx, readerID)
		return err
	})
	if err != nil {
		return Profile{}, fmt.Errorf("reader: update profile: %w", err)
	}
	return p, nil
}

// SetStatus sets the presence a reader chose: online or offline. Choosing
// online with a live connection tells the clients waiting for them (RDR-7).
func (s *Service) SetStatus(ctx context.Context, readerID int64, st Status) (Profile, error) {
	if st != Online && st != Offline {
		return Profile{}, apperr.Validation(map[string]string{"status": `Use "online" or "offline".`})
	}
	var p Profile
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET status = $1, status_changed_at = $2 WHERE user_id = $3`, st, now, readerID); err != nil {
			return fmt.Errorf("reader: set status: %w", err)
		}
		if err := s.TellWatchers(ctx, tx, []int64{readerID}); err != nil {
			return err
		}
		var err error
		p, err = s.get(ctx, tx, readerID)
		return err
	})
	return p, err
}

// SetVerified verifies (or un-verifies) a reader; only verified readers are
// visible to clients (ACC-5). Audited.
func (s *Service) SetVerified(ctx context.Context, admin account.User, readerID int64, verified bool) (Profile, error) {
	if admin.Role != account.RoleAdmin {
		return Profile{}, apperr.Errorf(apperr.Forbidden, "Only admins can verify readers.")
	}
	var p Profile
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := s.get(ctx, tx, readerID); err != nil {
			return err
		}
		now := s.Clock.Now()
		var verifiedAt any
		if verified {
			verifiedAt = db.Millis(now)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET is_verified = $1, verified_at = $2, updated_at = $3 WHERE user_id = $4`,
			verified, verifiedAt, db.Millis(now), readerID); err != nil {
			return err
		}
		action := "reader.verify"
		if !verified {
			action = "reader.unverify"
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: action, Model: "reader_profile",
			ObjectID: fmt.Sprint(readerID), At: now}); err != nil {
			return err
		}
		var err error
		p, err = s.get(ctx, tx, readerID)
		return err
	})
	return p, err
}

// SetKYC records the outcome of a reader's identity/background check. Audited.
func (s *Service) SetKYC(ctx context.Context, admin account.User, readerID int64, status string) (Profile, error) {
	if admin.Role != account.RoleAdmin {
		return Profile{}, apperr.Errorf(apperr.Forbidden, "Only admins can change KYC status.")
	}
	if !ValidKYC(status) {
		return Profile{}, apperr.Validation(map[string]string{"kyc_status": "Use not_started, pending, approved or rejected."})
	}
	var p Profile
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		before, err := s.get(ctx, tx, readerID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET kyc_status = $1, updated_at = $2 WHERE user_id = $3`,
			status, db.Millis(now), readerID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "reader.kyc", Model: "reader_profile",
			ObjectID: fmt.Sprint(readerID), Details: map[string]any{"from": before.KYCStatus, "to": status}, At: now}); err != nil {
			return err
		}
		p, err = s.get(ctx, tx, readerID)
		return err
	})
	return p, err
}
