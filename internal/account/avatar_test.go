package account_test

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/filestore"
)

// stripes returns a w×h image split into three vertical bands (w ≥ h) or
// horizontal bands (h > w): red, green, blue.
func stripes(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bands := []color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}}
	for y := range h {
		for x := range w {
			i := x * 3 / w
			if h > w {
				i = y * 3 / h
			}
			img.Set(x, y, bands[i])
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func isGreen(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return g>>8 > 200 && r>>8 < 60 && b>>8 < 60
}

// RDR-1: an avatar is centre-cropped to a square, scaled down to at most
// AvatarSize and re-encoded as JPEG; anything that is not an image is refused.
func TestProcessAvatar_RDR1(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		img  image.Image
		enc  func(io.Writer, image.Image) error
		side int
	}{
		{"wide png", stripes(900, 300), png.Encode, 300},
		{"tall png", stripes(300, 1500), png.Encode, 300},
		{"large jpeg", stripes(3000, 1000), func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, account.AvatarSize},
		{"gif", stripes(180, 60), func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) }, 60},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var in bytes.Buffer
			if err := c.enc(&in, c.img); err != nil {
				t.Fatal(err)
			}
			out, err := account.ProcessAvatar(in.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			got, format, err := image.Decode(bytes.NewReader(out))
			if err != nil || format != "jpeg" {
				t.Fatalf("output is %q: %v", format, err)
			}
			b := got.Bounds()
			if b.Dx() != c.side || b.Dy() != c.side {
				t.Fatalf("output is %dx%d, want %dx%d", b.Dx(), b.Dy(), c.side, c.side)
			}
			// The middle band of the original fills the whole square.
			for _, p := range []image.Point{{2, 2}, {b.Dx() / 2, b.Dy() / 2}, {b.Dx() - 3, b.Dy() - 3}, {2, b.Dy() - 3}, {b.Dx() - 3, 2}} {
				if !isGreen(got.At(p.X, p.Y)) {
					t.Fatalf("pixel %v is %v: the crop is not centred", p, got.At(p.X, p.Y))
				}
			}
		})
	}

	tiny := encodePNG(t, stripes(3, 3))
	bad := map[string][]byte{
		"empty":     nil,
		"text":      []byte("hello, I am not an image"),
		"html":      []byte("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
		"truncated": tiny[:len(tiny)/2],
		"too large": append(append([]byte{}, tiny...), make([]byte, account.MaxAvatarBytes)...),
	}
	for name, data := range bad {
		_, err := account.ProcessAvatar(data)
		if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || e.Fields["avatar"] == "" {
			t.Errorf("%s: error = %v, want a validation error on avatar", name, err)
		}
	}
}

// RDR-1 ACC-9: any user's uploaded photo — a client's as much as a
// reader's — is stored under a content-addressed key and recorded on the
// account; a refused upload changes nothing.
func TestUploadAvatar_ACC9(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		files, err := filestore.Open(ctx, "", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		s.Files = files
		for _, role := range []account.Role{account.RoleClient, account.RoleReader} {
			u := create(t, s, string(role)+"@example.com", role)
			key, err := s.UploadAvatar(ctx, u.ID, encodePNG(t, stripes(90, 60)))
			if err != nil {
				t.Fatal(err)
			}
			if !account.IsAvatarKey(key) || !strings.HasPrefix(key, "avatars/"+strconv.FormatInt(u.ID, 10)+"-") {
				t.Fatalf("key %q", key)
			}
			if got, _ := s.Get(ctx, u.ID); got.AvatarKey != key {
				t.Fatalf("%s's avatar %q, want %q", role, got.AvatarKey, key)
			}
			file, err := files.Open(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if file.ContentType != "image/jpeg" {
				t.Fatalf("stored content type %q", file.ContentType)
			}
			if _, format, err := image.Decode(file); err != nil || format != "jpeg" {
				t.Fatalf("stored file: %q %v", format, err)
			}
			file.Close()

			_, err = s.UploadAvatar(ctx, u.ID, []byte("not an image"))
			wantCode(t, err, apperr.Invalid)
			if got, _ := s.Get(ctx, u.ID); got.AvatarKey != key {
				t.Fatalf("a refused upload changed the avatar to %q", got.AvatarKey)
			}
		}
		_, err = s.UploadAvatar(ctx, 999999, encodePNG(t, stripes(10, 10)))
		wantCode(t, err, apperr.NotFound)
	})
}
