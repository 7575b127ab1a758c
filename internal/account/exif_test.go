package account_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
)

// quadrants is a 2n×2n picture: red top left, green top right, blue bottom
// left, white bottom right.
func quadrants(n int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 2*n, 2*n))
	for y := range 2 * n {
		for x := range 2 * n {
			c := []color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 255, 255}}[2*(y/n)+x/n]
			img.Set(x, y, c)
		}
	}
	return img
}

// byteOrder is an EXIF block's byte order.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// withOrientation returns a JPEG of img carrying EXIF orientation o in the
// given byte order, as phone cameras write it.
func withOrientation(t *testing.T, img image.Image, o uint16, order byteOrder) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	tiff := []byte("MM")
	if order == binary.LittleEndian {
		tiff = []byte("II")
	}
	tiff = order.AppendUint16(tiff, 42)
	tiff = order.AppendUint32(tiff, 8)
	tiff = order.AppendUint16(tiff, 1)      // one entry
	tiff = order.AppendUint16(tiff, 0x0112) // orientation
	tiff = order.AppendUint16(tiff, 3)      // SHORT
	tiff = order.AppendUint32(tiff, 1)
	tiff = order.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0) // padding, no next directory
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	seg = append(seg, payload...)
	jpg := enc.Bytes()
	return append(append(append([]byte{}, jpg[:2]...), seg...), jpg[2:]...)
}

// colourAt names the colour around (x, y): r, g, b, w or ? when unclear.
func colourAt(img image.Image, x, y int) string {
	r, g, b, _ := img.At(x, y).RGBA()
	hi := func(v uint32) bool { return v>>8 > 200 }
	lo := func(v uint32) bool { return v>>8 < 60 }
	switch {
	case hi(r) && hi(g) && hi(b):
		return "w"
	case hi(r) && lo(g) && lo(b):
		return "r"
	case lo(r) && hi(g) && lo(b):
		return "g"
	case lo(r) && lo(g) && hi(b):
		return "b"
	}
	return "?"
}

// RDR-1: a phone photo whose EXIF says it was stored turned or mirrored
// comes out upright, whatever the byte order of its EXIF block; a photo
// without the tag, or with a broken one, is kept as stored.
func TestProcessAvatar_ExifOrientation(t *testing.T) {
	t.Parallel()
	// The quadrants (top left, top right, bottom left, bottom right) the
	// avatar must show for each orientation of the red-green/blue-white
	// picture.
	want := map[uint16]string{1: "rgbw", 2: "grwb", 3: "wbgr", 4: "bwrg", 5: "rbgw", 6: "brwg", 7: "wgbr", 8: "gwrb"}
	for o, quads := range want {
		for _, order := range []byteOrder{binary.BigEndian, binary.LittleEndian} {
			out, err := account.ProcessAvatar(withOrientation(t, quadrants(64), o, order))
			if err != nil {
				t.Fatalf("orientation %d: %v", o, err)
			}
			img, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			s := img.Bounds().Dx()
			got := colourAt(img, s/4, s/4) + colourAt(img, 3*s/4, s/4) + colourAt(img, s/4, 3*s/4) + colourAt(img, 3*s/4, 3*s/4)
			if got != quads {
				t.Errorf("orientation %d (%v): the avatar shows %s, want %s", o, order, got, quads)
			}
		}
	}
	for name, data := range map[string][]byte{
		"no EXIF":          withOrientation(t, quadrants(64), 1, binary.BigEndian)[:0],
		"out of range":     withOrientation(t, quadrants(64), 9, binary.BigEndian),
		"cut EXIF segment": append(withOrientation(t, quadrants(64), 6, binary.BigEndian)[:30:30], make([]byte, 10)...),
	} {
		if len(data) == 0 {
			var enc bytes.Buffer
			if err := jpeg.Encode(&enc, quadrants(64), nil); err != nil {
				t.Fatal(err)
			}
			data = enc.Bytes()
		}
		out, err := account.ProcessAvatar(data)
		if name == "cut EXIF segment" {
			if err == nil {
				t.Errorf("%s: a broken JPEG was accepted", name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img, _ := jpeg.Decode(bytes.NewReader(out))
		s := img.Bounds().Dx()
		if got := colourAt(img, s/4, s/4) + colourAt(img, 3*s/4, 3*s/4); got != "rw" {
			t.Errorf("%s: the avatar shows %s in its corners, want it as stored (rw)", name, got)
		}
	}
}
