package web

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
)

// decodeTarget decodes a request body as one API request type and runs the
// validation its handler runs before touching the database.
type decodeTarget struct {
	name  string
	valid []string // bodies this target must accept
	run   func(body []byte) error
}

// decodeAs decodes body into a fresh T the way decodeJSON does, behind the
// same size limit.
func decodeAs[T any](body []byte) (T, error) {
	var v T
	err := decodeJSONBody(http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(bytes.NewReader(body)), maxJSONBody), &v)
	return v, err
}

func decodeOnly[T any](body []byte) error {
	_, err := decodeAs[T](body)
	return err
}

var decodeTargets = []decodeTarget{
	{"signup", []string{`{"email":"new@example.com","password":"long-enough-pw","display_name":"New Person"}`}, func(b []byte) error {
		req, err := decodeAs[apiSignupRequest](b)
		if err != nil {
			return err
		}
		in := account.SignUpInput{Email: req.Email, Password: req.Password, DisplayName: req.DisplayName}
		return in.Validate()
	}},
	{"login", []string{`{"email":"a@example.com","password":"x"}`}, decodeOnly[apiLoginRequest]},
	{"token", []string{`{"name":"my script"}`}, decodeOnly[apiTokenRequest]},
	{"forgot", []string{`{"email":"a@example.com"}`}, decodeOnly[apiPasswordForgotRequest]},
	{"reset", []string{`{"token":"abc","password":"long-enough-pw"}`}, decodeOnly[apiPasswordResetRequest]},
	{"reader profile", []string{
		`{"display_name":"Luna","tagline":"Tarot","bio":"Cards.","specialties":["tarot","love"],"years_experience":3,"languages":["English"],"rates":{"text":199,"voice":399,"video":599}}`,
		`{"display_name":"Luna","rates":{}}`,
		`{"display_name":"Luna"}`,
	}, func(b []byte) error {
		req, err := decodeAs[apiReaderProfileRequest](b)
		if err != nil {
			return err
		}
		in := reader.ProfileInput{DisplayName: req.DisplayName, Tagline: req.Tagline, Bio: req.Bio, Specialties: req.Specialties,
			YearsExperience: req.YearsExperience, Languages: req.Languages, Rates: req.Rates}
		_, err = in.Validate()
		return err
	}},
	{"presence", []string{`{"status":"online"}`}, decodeOnly[apiPresenceRequest]},
	{"role", []string{`{"role":"reader"}`}, decodeOnly[apiRoleRequest]},
	{"verify", []string{`{"verified":false}`, `{}`}, decodeOnly[apiVerifyRequest]},
	{"kyc", []string{`{"kyc_status":"approved"}`}, decodeOnly[apiKYCRequest]},
}

// checkDecodeError fails unless err is nil or an *apperr.Error with a 4xx
// status, a message, and only named field messages.
func checkDecodeError(t *testing.T, target string, body []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	e, ok := err.(*apperr.Error)
	if !ok {
		t.Fatalf("%s(%q): %T %v, want *apperr.Error", target, body, err, err)
	}
	if st := statusOf(e.Code); st < 400 || st > 499 {
		t.Fatalf("%s(%q): code %q → %d, want a 4xx", target, body, e.Code, st)
	}
	if e.Message == "" {
		t.Fatalf("%s(%q): no message", target, body)
	}
	for k, v := range e.Fields {
		if k == "" || v == "" {
			t.Fatalf("%s(%q): field error %q: %q", target, body, k, v)
		}
	}
}

// fuzzSeeds are bodies that are wrong in the ways clients get them wrong.
var fuzzSeeds = []string{
	``, ` `, `null`, `{}`, `[]`, `"x"`, `5`, `{"email":5}`, `{"email":"a@b.c",`, `{email:1}`, `{} {}`, `{}]`,
	`{"rates":{"text":"abc"}}`, `{"rates":{"text":1e400}}`, `{"rates":{"text":-1}}`, `{"years_experience":9999999999999999999}`,
	`{"specialties":[1,2]}`, `{"languages":"en"}`, `{"display_name":"\u0000\ud800"}`, `{"verified":"yes"}`,
	`{"surprise":{"deep":[{"x":1}]}}`, "{\"email\":\"\xff\xfe\"}", "{\"display_name\":\"Ren\xe9e\"}", "{\"role\":\"reader\"}\xc3",
}

// The seed corpus of valid bodies is accepted by its target.
func TestDecodeSeedCorpus(t *testing.T) {
	t.Parallel()
	for _, tg := range decodeTargets {
		for _, body := range tg.valid {
			if err := tg.run([]byte(body)); err != nil {
				t.Errorf("%s rejects its valid body %s: %v", tg.name, body, err)
			}
		}
	}
	for _, body := range fuzzSeeds {
		for _, tg := range decodeTargets {
			checkDecodeError(t, tg.name, []byte(body), tg.run([]byte(body)))
		}
	}
}

// FuzzDecode feeds arbitrary bodies to the request decoding and validation
// layer of every API request type (ACC-1, RDR-2, SEC-5): it must never
// panic, must refuse bad input only with a 4xx *apperr.Error, and must
// refuse every body that is not UTF-8. Run it with
// `go test -fuzz=FuzzDecode -run='^$' ./internal/web`.
func FuzzDecode(f *testing.F) {
	for _, tg := range decodeTargets {
		for _, body := range tg.valid {
			f.Add([]byte(body))
		}
	}
	for _, body := range fuzzSeeds {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, tg := range decodeTargets {
			err := tg.run(body)
			checkDecodeError(t, tg.name, body, err)
			if err == nil && !utf8.Valid(body) {
				t.Fatalf("%s accepted a body that is not UTF-8: %q", tg.name, body)
			}
		}
	})
}
