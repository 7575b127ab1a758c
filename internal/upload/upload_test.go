package upload_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/forum"
	"github.com/soulseer/soulseer/internal/upload"
)

var ctx = context.Background()

func eachApp(t *testing.T, f func(t *testing.T, s *apptest.Server, clk *clock.Fake)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC))
			f(t, apptest.Start(t, e, apptest.WithClock(clk), apptest.WithManualSweeps()), clk)
		})
	}
}

// picture draws a w×h image, red on the left half.
func picture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{0, 0, 0xff, 0xff}
			if x < w/2 {
				c = color.RGBA{0xff, 0, 0, 0xff}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// phoneJPEG is a JPEG as a phone writes it: EXIF saying it is stored a
// quarter turn anticlockwise (orientation 6), with a GPS position.
func phoneJPEG(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(w, h), nil); err != nil {
		t.Fatal(err)
	}
	// TIFF, little-endian: IFD0 with orientation 6 and a GPS IFD pointer,
	// then the GPS IFD with a latitude reference "N".
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	ifd := func(entries [][]byte, next uint32) []byte {
		out := binary.LittleEndian.AppendUint16(nil, uint16(len(entries)))
		for _, e := range entries {
			out = append(out, e...)
		}
		return binary.LittleEndian.AppendUint32(out, next)
	}
	entry := func(tag, typ uint16, count, value uint32) []byte {
		e := binary.LittleEndian.AppendUint16(nil, tag)
		e = binary.LittleEndian.AppendUint16(e, typ)
		e = binary.LittleEndian.AppendUint32(e, count)
		return binary.LittleEndian.AppendUint32(e, value)
	}
	gpsAt := uint32(8 + 2 + 2*12 + 4)
	tiff = append(tiff, ifd([][]byte{entry(0x0112, 3, 1, 6), entry(0x8825, 4, 1, gpsAt)}, 0)...)
	tiff = append(tiff, ifd([][]byte{entry(0x0001, 2, 2, uint32('N'))}, 0)...)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := append([]byte{0xFF, 0xE1}, binary.BigEndian.AppendUint16(nil, uint16(len(app1)+2))...)
	data := b.Bytes()
	return append(append(append([]byte{}, data[:2]...), append(seg, app1...)...), data[2:]...)
}

func wantFileError(t *testing.T, what string, err error, contains string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || !strings.Contains(e.Fields["file"], contains) {
		t.Errorf("%s: %v, want the file refused saying %q", what, err, contains)
	}
}

func stored(t *testing.T, s *apptest.Server, u upload.Upload, thumb bool) []byte {
	t.Helper()
	f, err := s.App.Uploads.Open(ctx, u, thumb)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// COM-3: pictures are kept encoded again — a phone photo turned upright,
// its EXIF and GPS position gone — with a thumbnail, sized at most
// MaxSide; a PDF is kept as it is; names are made safe and typed by the
// bytes.
func TestCreate_COM3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server, _ *clock.Fake) {
		u := s.CreateUser("cleo@example.com", account.RoleClient)
		photo, err := s.App.Uploads.Create(ctx, u, "IMG 0042.JPG", phoneJPEG(t, 400, 300))
		if err != nil {
			t.Fatal(err)
		}
		if photo.ContentType != upload.JPEG || photo.Width != 300 || photo.Height != 400 || photo.Name != "IMG-0042.jpg" || photo.ThumbURL() == "" {
			t.Errorf("photo %+v", photo)
		}
		data := stored(t, s, photo, false)
		if bytes.Contains(data, []byte("Exif")) || bytes.Contains(data, []byte("II*\x00")) {
			t.Error("the stored photo still carries EXIF")
		}
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != 300 || cfg.Height != 400 {
			t.Errorf("stored photo %+v %v, want 300×400 upright", cfg, err)
		}
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(stored(t, s, photo, true))); err != nil || max(cfg.Width, cfg.Height) > upload.ThumbSide {
			t.Errorf("thumbnail %+v %v", cfg, err)
		}

		big, err := s.App.Uploads.Create(ctx, u, "../../etc/moon.png", encodePNG(t, picture(3000, 1000)))
		if err != nil || big.ContentType != upload.PNG || big.Width != upload.MaxSide || big.Height != 682 || big.Name != "moon.png" {
			t.Errorf("a big PNG: %+v %v", big, err)
		}
		var g bytes.Buffer
		frames := &gif.GIF{Image: []*image.Paletted{image.NewPaletted(image.Rect(0, 0, 8, 8), []color.Color{color.Black, color.White}),
			image.NewPaletted(image.Rect(0, 0, 8, 8), []color.Color{color.White, color.Black})}, Delay: []int{10, 10}}
		if err := gif.EncodeAll(&g, frames); err != nil {
			t.Fatal(err)
		}
		anim, err := s.App.Uploads.Create(ctx, u, "sparkle.gif", g.Bytes())
		if err != nil || anim.ContentType != upload.GIF {
			t.Fatalf("a GIF: %+v %v", anim, err)
		}
		if back, err := gif.DecodeAll(bytes.NewReader(stored(t, s, anim, false))); err != nil || len(back.Image) != 2 {
			t.Errorf("the GIF's frames kept: %v", err)
		}
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
		doc, err := s.App.Uploads.Create(ctx, u, "chart", pdf)
		if err != nil || doc.ContentType != upload.PDF || doc.Name != "chart.pdf" || doc.ThumbURL() != "" || !bytes.Equal(stored(t, s, doc, false), pdf) {
			t.Errorf("a PDF: %+v %v", doc, err)
		}
		if used, err := s.App.Uploads.Used(ctx, u.ID); err != nil || used != photo.Bytes+big.Bytes+anim.Bytes+doc.Bytes {
			t.Errorf("used %d %v", used, err)
		}
	})
}

// COM-3: what is not what it says, or not a picture or PDF at all, or
// empty, or too big, or past the quota, is refused with a clear reason and
// nothing is kept.
func TestCreateRefusals_COM3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server, _ *clock.Fake) {
		u := s.CreateUser("cleo@example.com", account.RoleClient)
		pngData := encodePNG(t, picture(20, 20))
		_, err := s.App.Uploads.Create(ctx, u, "report.pdf", pngData)
		wantFileError(t, "a PNG named .pdf", err, "named .pdf but it is a PNG picture")
		_, err = s.App.Uploads.Create(ctx, u, "cat.png", []byte("<!doctype html><script>alert(1)</script>"))
		wantFileError(t, "HTML named .png", err, "Upload a picture")
		_, err = s.App.Uploads.Create(ctx, u, "x.gif", []byte("GIF89a/*\x00\x00*/=alert(1)//;"))
		wantFileError(t, "a GIF/JavaScript polyglot", err, "cannot be read")
		_, err = s.App.Uploads.Create(ctx, u, "x.pdf", []byte("%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF"))
		wantFileError(t, "a PDF/HTML polyglot", err, "not a PDF we can keep")
		_, err = s.App.Uploads.Create(ctx, u, "x.png", append(append([]byte{}, pngData[:40]...), "<script>"...))
		wantFileError(t, "a truncated PNG", err, "cannot be read")
		_, err = s.App.Uploads.Create(ctx, u, "empty.png", nil)
		wantFileError(t, "an empty file", err, "empty")
		_, err = s.App.Uploads.Create(ctx, u, "huge.pdf", append([]byte("%PDF-"), make([]byte, upload.MaxBytes)...))
		wantFileError(t, "a file over 10 MB", err, "at most 10 MB")
		_, err = s.App.Uploads.Create(ctx, account.User{}, "x.png", pngData)
		if apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("signed out: %v", err)
		}
		small := *s.App.Uploads
		first, err := small.Create(ctx, u, "a.png", pngData)
		if err != nil {
			t.Fatalf("within the quota: %v", err)
		}
		small.QuotaBytes = first.Bytes + first.Bytes/2 // room for half another
		_, err = small.Create(ctx, u, "b.png", pngData)
		wantFileError(t, "past the quota", err, "used your")
		var n int
		if err := s.App.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM uploads`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d uploads kept, want 1: %v", n, err)
		}
	})
}

// COM-3: a post carries its author's fresh uploads, shown with it; another
// user's upload, or one already attached, is refused; uploads left
// unattached for a day are removed with their files, attached ones stay.
func TestAttachAndCleanup_COM3(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server, clk *clock.Fake) {
		admin := s.CreateUser("admin@example.com", account.RoleAdmin)
		u := s.CreateUser("cleo@example.com", account.RoleClient)
		other := s.CreateUser("max@example.com", account.RoleClient)
		c, err := s.App.Forum.CreateCategory(ctx, admin, forum.CategoryInput{Name: "General"})
		if err != nil {
			t.Fatal(err)
		}
		pic, err := s.App.Uploads.Create(ctx, u, "altar.png", encodePNG(t, picture(40, 30)))
		if err != nil {
			t.Fatal(err)
		}
		orphan, err := s.App.Uploads.Create(ctx, u, "unused.png", encodePNG(t, picture(10, 10)))
		if err != nil {
			t.Fatal(err)
		}
		th, err := s.App.Forum.CreateThread(ctx, u, c.Slug, forum.ThreadInput{Title: "My altar", Body: "Here it is", Attachments: []int64{pic.ID}})
		if err != nil {
			t.Fatal(err)
		}
		_, posts, _, err := s.App.Forum.Thread(ctx, th.ID, 1)
		if err != nil || len(posts[0].Attachments) != 1 || posts[0].Attachments[0].URL != pic.URL() || !posts[0].Attachments[0].Image {
			t.Fatalf("attachments shown: %+v %v", posts, err)
		}
		theirs, err := s.App.Uploads.Create(ctx, other, "theirs.png", encodePNG(t, picture(10, 10)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.App.Forum.Reply(ctx, u, th.ID, "and another", theirs.ID)
		var e *apperr.Error
		if !errors.As(err, &e) || e.Fields["attachment_ids"] == "" {
			t.Errorf("someone else's upload: %v", err)
		}
		_, err = s.App.Forum.Reply(ctx, u, th.ID, "again", pic.ID)
		if !errors.As(err, &e) || e.Fields["attachment_ids"] == "" {
			t.Errorf("an upload attached already: %v", err)
		}
		if reply, err := s.App.Forum.Reply(ctx, other, th.ID, "mine", theirs.ID); err != nil || len(reply.Attachments) != 1 {
			t.Errorf("a reply with its author's upload: %+v %v", reply, err)
		}

		clk.Advance(upload.OrphanAge - time.Minute)
		if n, err := s.App.Uploads.DeleteOrphans(ctx); err != nil || n != 0 {
			t.Errorf("before a day: removed %d %v", n, err)
		}
		clk.Advance(2 * time.Minute)
		if n, err := s.App.Uploads.DeleteOrphans(ctx); err != nil || n != 1 {
			t.Fatalf("after a day: removed %d %v, want the one orphan", n, err)
		}
		if _, err := s.App.Uploads.Get(ctx, orphan.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("the orphan's row: %v", err)
		}
		if f, err := s.App.Uploads.Open(ctx, orphan, false); err == nil {
			f.Close()
			t.Error("the orphan's file is still there")
		}
		if b := stored(t, s, pic, false); len(b) == 0 {
			t.Error("the attached picture's file is gone")
		}
	})
}
