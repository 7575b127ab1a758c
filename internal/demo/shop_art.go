package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
)

// shape is the figure a demo product's picture shows.
type shape int

const (
	moonShape    shape = iota // a full moon with its halo
	cardShape                 // a tarot card standing up
	crystalShape              // a cluster of crystal points
)

// productPNG draws a demo product's picture: a night gradient in the
// product's palette with its figure in the light colour and a few stars.
func productPNG(p [3]uint32, sh shape) ([]byte, error) {
	const w, h = 480, 360
	rgb := func(v uint32) [3]float64 {
		return [3]float64{float64(v >> 16 & 0xff), float64(v >> 8 & 0xff), float64(v & 0xff)}
	}
	deep, mid, light := rgb(p[0]), rgb(p[1]), rgb(p[2])
	mix := func(a, b [3]float64, t float64) [3]float64 {
		t = math.Max(0, math.Min(1, t))
		return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := w/2.0, h/2.0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			col := mix(mid, deep, math.Hypot(fx-cx, fy-cy)/(w*0.6))
			if (x*7919+y*104729)%997 == 0 {
				col = mix(col, light, 0.9) // a star
			}
			if f := figure(sh, fx-cx, fy-cy); f > 0 {
				col = mix(col, light, f)
			}
			img.Set(x, y, color.RGBA{uint8(col[0]), uint8(col[1]), uint8(col[2]), 255})
		}
	}
	var b bytes.Buffer
	err := png.Encode(&b, img)
	return b.Bytes(), err
}

// figure is how strongly the figure covers the point (dx, dy) from the
// picture's centre, 0 to 1.
func figure(sh shape, dx, dy float64) float64 {
	switch sh {
	case moonShape:
		d := math.Hypot(dx, dy)
		if d < 90 {
			return 0.85
		}
		return math.Max(0, 0.45-(d-90)/80) // the halo
	case cardShape:
		if math.Abs(dx) < 70 && math.Abs(dy) < 115 {
			if math.Abs(dx) > 60 || math.Abs(dy) > 105 || math.Hypot(dx, dy+10) < 30 {
				return 0.9 // the border and the sun
			}
			return 0.35
		}
	case crystalShape:
		for _, pt := range [][3]float64{{-60, 40, 70}, {0, 0, 120}, {55, 30, 85}} { // x, base, height
			ddx, top := math.Abs(dx-pt[0]), 110-pt[2]-pt[1]
			if dy > top && dy < 110 && ddx < (dy-top)*0.28 {
				return 0.55 + 0.3*(1-ddx/((dy-top)*0.28+1))
			}
		}
	}
	return 0
}

// pdfDocument is a one-page PDF with a title and lines of text, enough for
// a demo file any reader opens.
func pdfDocument(title string, lines ...string) []byte {
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`, "’", "'", "–", "-")
	var text strings.Builder
	fmt.Fprintf(&text, "BT /F1 22 Tf 72 740 Td (%s) Tj ET\n", esc.Replace(title))
	for i, l := range lines {
		fmt.Fprintf(&text, "BT /F1 12 Tf 72 %d Td (%s) Tj ET\n", 700-i*22, esc.Replace(l))
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", text.Len(), text.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
