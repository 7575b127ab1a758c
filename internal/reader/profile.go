// Package reader holds reader profiles and how clients find readers: rates
// per modality, specialties, verification and KYC status, presence, the
// directory and favourites (RDR-1, RDR-2, RDR-4, RDR-6, ACC-5).
package reader

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Modality is how a reading happens.
type Modality string

// The modalities.
const (
	Text  Modality = "text"
	Voice Modality = "voice"
	Video Modality = "video"
)

// Modalities lists every modality in display order.
var Modalities = []Modality{Text, Voice, Video}

// ParseModality accepts exactly the three modality names.
func ParseModality(s string) (Modality, bool) {
	for _, m := range Modalities {
		if string(m) == s {
			return m, true
		}
	}
	return "", false
}

// Rate bounds, in cents per minute.
const (
	MinRateCents int64 = 10
	MaxRateCents int64 = 100_00
)

// Rates are a reader's prices in cents per minute; 0 means the modality is
// switched off (RDR-2).
type Rates struct {
	Text  int64 `json:"text,omitempty"`
	Voice int64 `json:"voice,omitempty"`
	Video int64 `json:"video,omitempty"`
}

// For returns the rate of one modality (0 when off).
func (r Rates) For(m Modality) int64 {
	switch m {
	case Text:
		return r.Text
	case Voice:
		return r.Voice
	case Video:
		return r.Video
	}
	return 0
}

// Min returns the lowest offered rate, or 0 when every modality is off.
func (r Rates) Min() int64 {
	var lo int64
	for _, m := range Modalities {
		if v := r.For(m); v > 0 && (lo == 0 || v < lo) {
			lo = v
		}
	}
	return lo
}

// Offered lists the modalities that are switched on.
func (r Rates) Offered() []Modality {
	var out []Modality
	for _, m := range Modalities {
		if r.For(m) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// KYC statuses of a reader's identity/background check (ACC-5).
const (
	KYCNotStarted = "not_started"
	KYCPending    = "pending"
	KYCApproved   = "approved"
	KYCRejected   = "rejected"
)

// ValidKYC reports whether s is a KYC status.
func ValidKYC(s string) bool {
	switch s {
	case KYCNotStarted, KYCPending, KYCApproved, KYCRejected:
		return true
	}
	return false
}

// Status is a reader's presence as clients see it (RDR-3).
type Status string

// The presence statuses.
const (
	Online  Status = "online"
	Busy    Status = "busy"
	Offline Status = "offline"
)

// Profile is a reader's public profile.
type Profile struct {
	UserID          int64
	DisplayName     string
	Tagline         string
	Bio             string
	Specialties     []string
	YearsExperience int
	Languages       []string
	AvatarKey       string // the photo of the reader's account
	IsVerified      bool
	KYCStatus       string
	Status          Status // what clients see: online, busy or offline
	Chosen          Status // what the reader chose: online or offline
	// Automated marks a demo persona that the app plays itself (package
	// persona); pages label it. Only the demo loader sets it.
	Automated     bool
	Rates         Rates
	RatingSum     int64
	RatingCount   int64
	ReadingsCount int64
	CreatedAt     time.Time
	UpdatedAt     time.Time

	// PaidReplyCents is what a paid reply of the reader costs the client
	// who unlocks it (MSG-3).
	PaidReplyCents int64
}

// Rating returns the average rating (1–5), or 0 without ratings.
func (p Profile) Rating() float64 {
	if p.RatingCount == 0 {
		return 0
	}
	return float64(p.RatingSum) / float64(p.RatingCount)
}

// statusSQL is the presence clients see (RDR-3): busy while the reader is in
// a reading; online while they chose to be and hold a live connection —
// seen since cutoff (Unix ms; 0 skips the connection check; a demo persona
// is seen while the persona worker runs), or simulated by tests; offline
// otherwise.
func statusSQL(cutoff int64) string {
	seen := "TRUE"
	if cutoff > 0 {
		seen = "(p.simulated_presence OR p.last_seen_at > " + strconv.FormatInt(cutoff, 10) + ")"
	}
	return `(CASE WHEN EXISTS (SELECT 1 FROM readings x WHERE x.reader_id = p.user_id AND x.state IN ('active', 'paused', 'reconnecting')) THEN 'busy'
		WHEN p.status = 'online' AND ` + seen + ` THEN 'online' ELSE 'offline' END)`
}

// presenceCutoff is the last-seen time after which a reader counts as
// connected now, or 0 when presence is not checked.
func (s *Service) presenceCutoff() int64 {
	if s.PresenceTimeout <= 0 {
		return 0
	}
	return db.Millis(s.Clock.Now().Add(-s.PresenceTimeout))
}

// columns selects a profile with its effective status.
func (s *Service) columns() string {
	return `p.user_id, u.display_name, p.tagline, p.bio, p.years_experience, p.languages, u.avatar_key,
	p.is_verified, p.kyc_status, ` + statusSQL(s.presenceCutoff()) + `, p.status, COALESCE(p.rate_text_cents, 0), COALESCE(p.rate_voice_cents, 0),
	COALESCE(p.rate_video_cents, 0), p.rating_sum, p.rating_count, p.readings_count, p.created_at, p.updated_at, p.automated,
	p.paid_reply_cents`
}

const profileFrom = ` FROM reader_profiles p JOIN users u ON u.id = p.user_id`

func scanProfile(row interface{ Scan(...any) error }) (Profile, error) {
	var p Profile
	var langs string
	var created, updated int64
	err := row.Scan(&p.UserID, &p.DisplayName, &p.Tagline, &p.Bio, &p.YearsExperience, &langs, &p.AvatarKey,
		&p.IsVerified, &p.KYCStatus, &p.Status, &p.Chosen, &p.Rates.Text, &p.Rates.Voice, &p.Rates.Video,
		&p.RatingSum, &p.RatingCount, &p.ReadingsCount, &created, &updated, &p.Automated,
		&p.PaidReplyCents)
	if err != nil {
		return Profile{}, err
	}
	p.Languages = splitList(langs)
	p.CreatedAt, p.UpdatedAt = db.Time(created), db.Time(updated)
	return p, nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// loadSpecialties fills the Specialties of the given profiles in one query.
func loadSpecialties(ctx context.Context, q db.Querier, profiles []Profile) error {
	if len(profiles) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(profiles))
	ph := make([]string, len(profiles))
	args := make([]any, len(profiles))
	for i, p := range profiles {
		idx[p.UserID] = i
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = p.UserID
	}
	rows, err := q.QueryContext(ctx, `SELECT reader_id, specialty FROM reader_specialties WHERE reader_id IN (`+
		strings.Join(ph, ",")+`) ORDER BY specialty`, args...)
	if err != nil {
		return fmt.Errorf("reader: specialties: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return err
		}
		profiles[idx[id]].Specialties = append(profiles[idx[id]].Specialties, s)
	}
	return rows.Err()
}

// get returns the profile of a user with role reader.
func (s *Service) get(ctx context.Context, q db.Querier, userID int64) (Profile, error) {
	p, err := scanProfile(q.QueryRowContext(ctx, "SELECT "+s.columns()+profileFrom+
		" WHERE p.user_id = $1 AND u.role = 'reader'", userID))
	if errors.Is(err, sql.ErrNoRows) {
		return Profile{}, apperr.Errorf(apperr.NotFound, "No such reader.")
	}
	if err != nil {
		return Profile{}, fmt.Errorf("reader: get: %w", err)
	}
	ps := []Profile{p}
	if err := loadSpecialties(ctx, q, ps); err != nil {
		return Profile{}, err
	}
	return ps[0], nil
}
