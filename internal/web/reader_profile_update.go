package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/live"
	"github.com/soulseer/soulseer/internal/reader"
)

// readerProfileForm is the data of the reader's profile editor.
type readerProfileForm struct {
	Page
	Reader      reader.Profile
	Specialties []reader.Specialty
	Chosen      map[string]bool
	Rates       map[string]string // modality → dollars as typed
	PaidReply   string            // the paid-reply price in dollars as typed
	Errors      map[string]string
	Message     string

	// The monthly subscription (LIV-3): its price in dollars as typed
	// ("" for none), whether one is on offer, the highest price allowed
	// and how many subscribers it has now.
	SubPrice    string
	SubOffered  bool
	SubMax      int64
	Subscribers int
}

func (s *Server) profileForm(w http.ResponseWriter, r *http.Request, p reader.Profile) (readerProfileForm, error) {
	f := readerProfileForm{Page: s.page(w, r, "Your reader profile"), Reader: p, Specialties: reader.Specialties(),
		Chosen: map[string]bool{}, Rates: map[string]string{}, SubMax: live.MaxSubscriptionPriceCents}
	for _, sp := range p.Specialties {
		f.Chosen[sp] = true
	}
	for _, m := range reader.Modalities {
		if c := p.Rates.For(m); c > 0 {
			f.Rates[string(m)] = dollars(c)
		}
	}
	f.PaidReply = dollars(p.PaidReplyCents)
	o, err := s.Live.SubscriptionOffer(r.Context(), account.User{}, p.UserID)
	if err != nil {
		return f, err
	}
	if f.SubOffered = o.PriceCents > 0; f.SubOffered {
		f.SubPrice = dollars(o.PriceCents)
	}
	f.Subscribers, err = s.Live.SubscriberCount(r.Context(), p.UserID)
	return f, err
}

// dollars writes cents as the dollars a money field shows, e.g. "1.99".
func dollars(cents int64) string { return strconv.FormatFloat(float64(cents)/100, 'f', 2, 64) }

// readerProfileEdit renders the profile editor: bio, specialties, rates,
// the paid-reply price, avatar (RDR-1, RDR-2, MSG-3) and the monthly
// subscription's price (LIV-3).
func (s *Server) readerProfileEdit(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	p, err := s.Readers.Get(r.Context(), u, u.ID)
	if err != nil {
		return err
	}
	form, err := s.profileForm(w, r, p)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "reader_profile", form)
}

// readerProfileUpdate saves the profile editor's form.
func (s *Server) readerProfileUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u := userOf(r)
	in := reader.ProfileInput{DisplayName: r.PostFormValue("display_name")}
	tagline, bio := r.PostFormValue("tagline"), r.PostFormValue("bio")
	specs := r.PostForm["specialties"]
	langs := strings.Split(r.PostFormValue("languages"), ",")
	in.Tagline, in.Bio, in.Specialties, in.Languages = &tagline, &bio, &specs, &langs
	fields := map[string]string{}
	if y := strings.TrimSpace(r.PostFormValue("years_experience")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			fields["years_experience"] = "Enter a whole number of years."
		}
		in.YearsExperience = &n
	}
	rates := map[reader.Modality]**int64{reader.Text: &in.Rates.Text, reader.Voice: &in.Rates.Voice, reader.Video: &in.Rates.Video}
	for m, dst := range rates {
		v := strings.TrimSpace(r.PostFormValue("rate_" + string(m)))
		if v == "" || r.PostFormValue("offer_"+string(m)) == "" {
			continue
		}
		c, ok := ledger.ParseCents(v)
		if !ok {
			fields["rates."+string(m)] = moneyFieldError
			continue
		}
		*dst = &c
	}
	if v := strings.TrimSpace(r.PostFormValue("paid_reply")); v != "" {
		c, ok := ledger.ParseCents(v)
		if !ok {
			fields["paid_reply_cents"] = moneyFieldError
		}
		in.PaidReplyCents = &c
	}
	err := apperr.Validation(fields)
	if err == nil {
		_, err = s.Readers.UpdateProfile(r.Context(), u.ID, in)
	}
	if err != nil {
		if apperr.CodeOf(err) != apperr.Invalid {
			return err
		}
		cur, gerr := s.Readers.Get(r.Context(), u, u.ID)
		if gerr != nil {
			return gerr
		}
		form, gerr := s.profileForm(w, r, cur)
		if gerr != nil {
			return gerr
		}
		form.Errors, form.Message = apperr.As(err).Fields, apperr.MessageOf(err)
		return s.render(w, http.StatusBadRequest, "reader_profile", form)
	}
	s.setFlash(w, "Your profile is saved.")
	http.Redirect(w, r, "/reader/profile", http.StatusSeeOther)
	return nil
}

// readerAvatarUpdate stores an avatar uploaded from the profile editor.
func (s *Server) readerAvatarUpdate(w http.ResponseWriter, r *http.Request) error {
	return s.avatarUpload(w, r, "/reader/profile")
}

// apiReaderProfileRequest is the body of PUT /api/v1/me/reader-profile.
type apiReaderProfileRequest struct {
	DisplayName     string            `json:"display_name"`
	Tagline         *string           `json:"tagline"`
	Bio             *string           `json:"bio"`
	Specialties     *[]string         `json:"specialties"`
	YearsExperience *int              `json:"years_experience"`
	Languages       *[]string         `json:"languages"`
	Rates           reader.RatesInput `json:"rates"`
	PaidReplyCents  *int64            `json:"paid_reply_cents"`
}

// apiReaderProfileUpdate replaces the reader's own profile. A modality missing
// from rates is switched off; other missing fields keep their value, the
// paid-reply price (MSG-3) included.
func (s *Server) apiReaderProfileUpdate(w http.ResponseWriter, r *http.Request) error {
	var req apiReaderProfileRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u := userOf(r)
	p, err := s.Readers.UpdateProfile(r.Context(), u.ID, reader.ProfileInput{
		DisplayName: req.DisplayName, Tagline: req.Tagline, Bio: req.Bio, Specialties: req.Specialties,
		YearsExperience: req.YearsExperience, Languages: req.Languages, Rates: req.Rates, PaidReplyCents: req.PaidReplyCents,
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, readerJSON(p, u))
}

// apiAvatarUpdate stores the request body (an image) as the reader's avatar.
func (s *Server) apiAvatarUpdate(w http.ResponseWriter, r *http.Request) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, account.MaxAvatarBytes))
	if err != nil {
		return apperr.Errorf(apperr.TooLarge, "The image is larger than 5 MB.")
	}
	key, err := s.Accounts.UploadAvatar(r.Context(), userOf(r).ID, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"avatar_url": avatarURL(key)})
}

// presenceUpdate sets the reader's online/offline switch from the dashboard.
func (s *Server) presenceUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.Readers.SetStatus(r.Context(), userOf(r).ID, reader.Status(r.PostFormValue("status")))
	if err != nil {
		return err
	}
	if p.Chosen == reader.Online {
		s.setFlash(w, "You are online. Clients can request readings while this dashboard is open.")
	} else {
		s.setFlash(w, "You are offline.")
	}
	http.Redirect(w, r, "/reader/dashboard", http.StatusSeeOther)
	return nil
}

// apiPresenceRequest is the body of POST /api/v1/me/presence.
type apiPresenceRequest struct {
	Status string `json:"status"`
}

// apiPresenceUpdate sets the reader's presence: "online" or "offline".
func (s *Server) apiPresenceUpdate(w http.ResponseWriter, r *http.Request) error {
	var req apiPresenceRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	p, err := s.Readers.SetStatus(r.Context(), userOf(r).ID, reader.Status(req.Status))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": p.Status, "chosen": p.Chosen})
}
