package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/soulseer/soulseer/internal/db"
)

// optional is a stored number that may be NULL, written as the number or
// null.
type optional struct{ sql.NullInt64 }

// MarshalJSON writes the number, or null.
func (o optional) MarshalJSON() ([]byte, error) {
	if !o.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(o.Int64)
}

// profileFile is profile.json.
type profileFile struct {
	Account             accountData        `json:"account"`
	ReaderProfile       *readerProfileData `json:"reader_profile"`
	Availability        *availabilityData  `json:"availability"`
	ReaderApplications  []applicationData  `json:"reader_applications"`
	NotificationChoices []preferenceData   `json:"notification_preferences"`
	SpendingLimits      *spendingData      `json:"spending_limits"`
	AutoReload          *autoReloadData    `json:"auto_reload"`
	EmailChanges        []emailChangeData  `json:"email_changes"`
}

type accountData struct {
	ID             int64  `json:"id"`
	Email          string `json:"email"`
	DisplayName    string `json:"display_name"`
	Role           string `json:"role"`
	HasPassword    bool   `json:"has_password"`
	HasPhoto       bool   `json:"has_photo"`
	TimeZone       string `json:"time_zone"`
	TwoFactor      bool   `json:"two_factor"`
	TwoFactorSince stamp  `json:"two_factor_since"`
	SuspendedUntil stamp  `json:"suspended_until"`
	CreatedAt      stamp  `json:"created_at"`
	UpdatedAt      stamp  `json:"updated_at"`
	LastLoginAt    stamp  `json:"last_login_at"`
}

type readerProfileData struct {
	Tagline                string   `json:"tagline"`
	Bio                    string   `json:"bio"`
	YearsExperience        int      `json:"years_experience"`
	Languages              string   `json:"languages"`
	Specialties            []string `json:"specialties"`
	Verified               bool     `json:"verified"`
	VerifiedAt             stamp    `json:"verified_at"`
	KYCStatus              string   `json:"kyc_status"`
	RateTextCents          optional `json:"rate_text_cents"`
	RateVoiceCents         optional `json:"rate_voice_cents"`
	RateVideoCents         optional `json:"rate_video_cents"`
	PaidReplyCents         int64    `json:"paid_reply_cents"`
	SubscriptionPriceCents int64    `json:"subscription_price_cents"`
	RatingSum              int64    `json:"rating_sum"`
	RatingCount            int64    `json:"rating_count"`
	ReadingsCount          int64    `json:"readings_count"`
	CreatedAt              stamp    `json:"created_at"`
	UpdatedAt              stamp    `json:"updated_at"`
}

type availabilityData struct {
	TimeZone         string         `json:"time_zone"`
	BufferMinutes    int            `json:"buffer_minutes"`
	MinNoticeMinutes int            `json:"min_notice_minutes"`
	MaxDaysAhead     int            `json:"max_days_ahead"`
	UpdatedAt        stamp          `json:"updated_at"`
	Durations        []durationData `json:"durations"`
	Weekly           []weeklyData   `json:"weekly"`
	Openings         []openingData  `json:"openings"`
	TimeOff          []timeOffData  `json:"time_off"`
}

type durationData struct {
	Minutes    int      `json:"minutes"`
	PriceCents optional `json:"price_cents"`
}

type weeklyData struct {
	Weekday     int `json:"weekday"` // 0 Sunday … 6 Saturday
	StartMinute int `json:"start_minute"`
	EndMinute   int `json:"end_minute"`
}

type openingData struct {
	StartsAt        stamp `json:"starts_at"`
	DurationMinutes int   `json:"duration_minutes"`
	CreatedAt       stamp `json:"created_at"`
}

type timeOffData struct {
	StartsAt  stamp `json:"starts_at"`
	EndsAt    stamp `json:"ends_at"`
	CreatedAt stamp `json:"created_at"`
}

type applicationData struct {
	ID              int64  `json:"id"`
	DisplayName     string `json:"display_name"`
	Specialties     string `json:"specialties"`
	YearsExperience int    `json:"years_experience"`
	Languages       string `json:"languages"`
	Bio             string `json:"bio"`
	SampleReading   string `json:"sample_reading"`
	Status          string `json:"status"`
	Reason          string `json:"reason"`
	ConsentedAt     stamp  `json:"identity_check_consent_at"`
	CreatedAt       stamp  `json:"created_at"`
	DecidedAt       stamp  `json:"decided_at"`
}

type preferenceData struct {
	Kind      string `json:"kind"`
	InApp     bool   `json:"in_app"`
	Email     bool   `json:"email"`
	UpdatedAt stamp  `json:"updated_at"`
}

type spendingData struct {
	PerReadingCents optional `json:"per_reading_cents"`
	DailyCents      optional `json:"daily_cents"`
	MonthlyCents    optional `json:"monthly_cents"`
	PausedUntil     stamp    `json:"paused_until"`
	PendingAt       stamp    `json:"change_takes_effect_at"`
	UpdatedAt       stamp    `json:"updated_at"`
}

type autoReloadData struct {
	Enabled        bool   `json:"enabled"`
	ThresholdCents int64  `json:"threshold_cents"`
	AmountCents    int64  `json:"amount_cents"`
	CardBrand      string `json:"card_brand"`
	CardLast4      string `json:"card_last4"`
	OffReason      string `json:"off_reason"`
	UpdatedAt      stamp  `json:"updated_at"`
}

type emailChangeData struct {
	NewEmail  string `json:"new_email"`
	CreatedAt stamp  `json:"created_at"`
	ExpiresAt stamp  `json:"expires_at"`
	UsedAt    stamp  `json:"used_at"`
}

// readProfile reads profile.json: the account, a reader's profile and
// availability, applications and settings (spending limits and automatic
// reloads among them, the saved card by brand and last digits only). Secrets stay out: whether a
// password and two-factor sign-in exist, never what they are.
func readProfile(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f profileFile
	a := &f.Account
	var avatar string
	err := q.QueryRowContext(ctx, `SELECT id, email, display_name, role, password_hash IS NOT NULL, avatar_key, time_zone,
		two_factor_at IS NOT NULL, two_factor_at, suspended_until, created_at, updated_at, last_login_at FROM users WHERE id = $1`, userID).
		Scan(&a.ID, &a.Email, &a.DisplayName, &a.Role, &a.HasPassword, &avatar, &a.TimeZone, &a.TwoFactor, &a.TwoFactorSince,
			&a.SuspendedUntil, &a.CreatedAt, &a.UpdatedAt, &a.LastLoginAt)
	if err != nil {
		return nil, fmt.Errorf("privacy: account: %w", err)
	}
	a.HasPhoto = avatar != ""
	if f.ReaderProfile, err = readReaderProfile(ctx, q, userID); err != nil {
		return nil, err
	}
	if f.Availability, err = readAvailability(ctx, q, userID); err != nil {
		return nil, err
	}
	if f.ReaderApplications, err = list(ctx, q, `SELECT id, display_name, specialties, years_experience, languages, bio, sample_reading,
		status, reason, kyc_consent_at, created_at, decided_at FROM reader_applications WHERE user_id = $1 ORDER BY id`,
		func(r db.Row, x *applicationData) error {
			return r.Scan(&x.ID, &x.DisplayName, &x.Specialties, &x.YearsExperience, &x.Languages, &x.Bio, &x.SampleReading,
				&x.Status, &x.Reason, &x.ConsentedAt, &x.CreatedAt, &x.DecidedAt)
		}, userID); err != nil {
		return nil, err
	}
	if f.NotificationChoices, err = list(ctx, q, `SELECT kind, in_app, email, updated_at FROM notification_preferences WHERE user_id = $1 ORDER BY kind`,
		func(r db.Row, x *preferenceData) error {
			return r.Scan(&x.Kind, &x.InApp, &x.Email, &x.UpdatedAt)
		}, userID); err != nil {
		return nil, err
	}
	var sp spendingData
	err = q.QueryRowContext(ctx, `SELECT per_reading_cents, daily_cents, monthly_cents, paused_until, pending_at, updated_at
		FROM spending_limits WHERE user_id = $1`, userID).Scan(&sp.PerReadingCents, &sp.DailyCents, &sp.MonthlyCents, &sp.PausedUntil, &sp.PendingAt, &sp.UpdatedAt)
	switch {
	case err == nil:
		f.SpendingLimits = &sp
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("privacy: spending limits: %w", err)
	}
	var ar autoReloadData
	err = q.QueryRowContext(ctx, `SELECT enabled, threshold_cents, amount_cents, card_brand, card_last4, off_reason, updated_at
		FROM auto_reloads WHERE user_id = $1`, userID).Scan(&ar.Enabled, &ar.ThresholdCents, &ar.AmountCents, &ar.CardBrand, &ar.CardLast4, &ar.OffReason, &ar.UpdatedAt)
	switch {
	case err == nil:
		f.AutoReload = &ar
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("privacy: auto-reload: %w", err)
	}
	if f.EmailChanges, err = list(ctx, q, `SELECT new_email, created_at, expires_at, used_at FROM email_changes WHERE user_id = $1 ORDER BY created_at`,
		func(r db.Row, x *emailChangeData) error {
			return r.Scan(&x.NewEmail, &x.CreatedAt, &x.ExpiresAt, &x.UsedAt)
		}, userID); err != nil {
		return nil, err
	}
	return f, nil
}

// readReaderProfile reads a reader's profile with its specialties; nil
// for someone who has none.
func readReaderProfile(ctx context.Context, q db.Querier, userID int64) (*readerProfileData, error) {
	var p readerProfileData
	err := q.QueryRowContext(ctx, `SELECT tagline, bio, years_experience, languages, is_verified, verified_at, kyc_status,
		rate_text_cents, rate_voice_cents, rate_video_cents, paid_reply_cents, subscription_price_cents, rating_sum, rating_count,
		readings_count, created_at, updated_at FROM reader_profiles WHERE user_id = $1`, userID).
		Scan(&p.Tagline, &p.Bio, &p.YearsExperience, &p.Languages, &p.Verified, &p.VerifiedAt, &p.KYCStatus, &p.RateTextCents,
			&p.RateVoiceCents, &p.RateVideoCents, &p.PaidReplyCents, &p.SubscriptionPriceCents, &p.RatingSum, &p.RatingCount,
			&p.ReadingsCount, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("privacy: reader profile: %w", err)
	}
	p.Specialties, err = list(ctx, q, `SELECT specialty FROM reader_specialties WHERE reader_id = $1 ORDER BY specialty`,
		func(r db.Row, s *string) error { return r.Scan(s) }, userID)
	return &p, err
}

// readAvailability reads when a reader can be booked; nil for someone
// who never set it.
func readAvailability(ctx context.Context, q db.Querier, userID int64) (*availabilityData, error) {
	var a availabilityData
	err := q.QueryRowContext(ctx, `SELECT time_zone, buffer_minutes, min_notice_minutes, max_days_ahead, updated_at
		FROM reader_availability WHERE reader_id = $1`, userID).Scan(&a.TimeZone, &a.BufferMinutes, &a.MinNoticeMinutes, &a.MaxDaysAhead, &a.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("privacy: availability: %w", err)
	}
	var errs []error
	a.Durations, err = list(ctx, q, `SELECT minutes, price_cents FROM availability_durations WHERE reader_id = $1 ORDER BY minutes`,
		func(r db.Row, x *durationData) error {
			return r.Scan(&x.Minutes, &x.PriceCents)
		}, userID)
	errs = append(errs, err)
	a.Weekly, err = list(ctx, q, `SELECT weekday, start_minute, end_minute FROM availability_weekly WHERE reader_id = $1 ORDER BY weekday, start_minute`,
		func(r db.Row, x *weeklyData) error {
			return r.Scan(&x.Weekday, &x.StartMinute, &x.EndMinute)
		}, userID)
	errs = append(errs, err)
	a.Openings, err = list(ctx, q, `SELECT starts_at, duration_minutes, created_at FROM availability_openings WHERE reader_id = $1 ORDER BY starts_at`,
		func(r db.Row, x *openingData) error {
			return r.Scan(&x.StartsAt, &x.DurationMinutes, &x.CreatedAt)
		}, userID)
	errs = append(errs, err)
	a.TimeOff, err = list(ctx, q, `SELECT starts_at, ends_at, created_at FROM availability_time_off WHERE reader_id = $1 ORDER BY starts_at`,
		func(r db.Row, x *timeOffData) error {
			return r.Scan(&x.StartsAt, &x.EndsAt, &x.CreatedAt)
		}, userID)
	errs = append(errs, err)
	return &a, errors.Join(errs...)
}
