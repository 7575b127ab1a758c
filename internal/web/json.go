package web

import (
	"net/http"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/reader"
)

// userResponse is a user in API responses.
type userResponse struct {
	ID          int64           `json:"id"`
	Email       string          `json:"email"`
	DisplayName string          `json:"display_name"`
	Role        account.Role    `json:"role"`
	Dashboard   string          `json:"dashboard"`
	TimeZone    string          `json:"time_zone"`  // an IANA name, "" until chosen
	AvatarURL   string          `json:"avatar_url"` // "" for none
	CreatedAt   time.Time       `json:"created_at"`
	Reader      *readerResponse `json:"reader,omitempty"`
}

func (s *Server) userJSON(r *http.Request, u account.User) userResponse {
	out := userResponse{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName, Role: u.Role, Dashboard: u.Dashboard(), CreatedAt: u.CreatedAt,
		TimeZone: u.TimeZone, AvatarURL: avatarURL(u.AvatarKey)}
	if u.Role == account.RoleReader {
		if p, err := s.Readers.Get(r.Context(), u, u.ID); err == nil {
			rr := readerJSON(p, u)
			out.Reader = &rr
		}
	}
	return out
}

// ratesResponse gives cents per minute per modality; null means switched off.
type ratesResponse struct {
	Text  *int64 `json:"text"`
	Voice *int64 `json:"voice"`
	Video *int64 `json:"video"`
}

// readerResponse is a reader in API responses. Verification and KYC status
// are shown only to the reader themself and admins.
type readerResponse struct {
	ID              int64             `json:"id"`
	DisplayName     string            `json:"display_name"`
	Tagline         string            `json:"tagline"`
	Bio             string            `json:"bio"`
	Specialties     []string          `json:"specialties"`
	YearsExperience int               `json:"years_experience"`
	Languages       []string          `json:"languages"`
	AvatarURL       string            `json:"avatar_url,omitempty"`
	Rates           ratesResponse     `json:"rates"`
	Modalities      []reader.Modality `json:"modalities"`
	Status          reader.Status     `json:"status"`
	Rating          float64           `json:"rating"`
	RatingCount     int64             `json:"rating_count"`
	ReadingsCount   int64             `json:"readings_count"`
	PaidReplyCents  int64             `json:"paid_reply_cents"`
	IsVerified      *bool             `json:"is_verified,omitempty"`
	KYCStatus       string            `json:"kyc_status,omitempty"`
}

func readerJSON(p reader.Profile, viewer account.User) readerResponse {
	rate := func(v int64) *int64 {
		if v == 0 {
			return nil
		}
		return &v
	}
	out := readerResponse{
		ID: p.UserID, DisplayName: p.DisplayName, Tagline: p.Tagline, Bio: p.Bio,
		Specialties: nonNil(p.Specialties), YearsExperience: p.YearsExperience, Languages: nonNil(p.Languages),
		AvatarURL: avatarURL(p.AvatarKey), Rates: ratesResponse{rate(p.Rates.Text), rate(p.Rates.Voice), rate(p.Rates.Video)},
		Modalities: p.Rates.Offered(), Status: p.Status, Rating: p.Rating(), RatingCount: p.RatingCount, ReadingsCount: p.ReadingsCount,
		PaidReplyCents: p.PaidReplyCents,
	}
	if out.Modalities == nil {
		out.Modalities = []reader.Modality{}
	}
	if viewer.Role == account.RoleAdmin || viewer.ID == p.UserID {
		v := p.IsVerified
		out.IsVerified, out.KYCStatus = &v, p.KYCStatus
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
