package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/flag"
)

// uploadOfA is a picture client A uploaded and has not posted yet:
// {upload} and {uploadname}.
func uploadOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	u, err := m.s.App.Uploads.Create(ctx, m.users["clientA"], "altar.png", pngBytes(t, 16, 16))
	if err != nil {
		t.Fatal(err)
	}
	m.vals["upload"], m.vals["uploadname"] = id(u.ID), u.Name
}

// uploadForm is a picture sent to the API in the multipart field "file".
func uploadForm(t *testing.T, m *authzWorld) ([]byte, []string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	f, err := mw.CreateFormFile("file", "moon.png")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(pngBytes(t, 16, 16))
	mw.Close()
	return b.Bytes(), []string{"Content-Type", mw.FormDataContentType()}
}

// flagOfReaderA is a pending flag of reader A's profile, raised by a new
// user each time: {flag}.
func flagOfReaderA(t *testing.T, m *authzWorld) {
	t.Helper()
	m.n++
	u := m.s.CreateUser(fmt.Sprintf("flagger-%d@example.com", m.n), account.RoleClient)
	f, err := m.s.App.Flags.Raise(ctx, u, flag.RaiseInput{TargetType: flag.TargetProfile, TargetID: m.users["readerA"].ID, Reason: "scam"})
	if err != nil {
		t.Fatal(err)
	}
	m.vals["flag"] = id(f.ID)
}
