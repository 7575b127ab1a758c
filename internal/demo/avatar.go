package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// avatarPNG draws a portrait-like avatar: a glowing aura behind a soft
// head-and-shoulders silhouette, in the reader's palette, with a few stars.
func avatarPNG(p [3]uint32, seed int) ([]byte, error) {
	const size = 384
	c := func(v uint32) [3]float64 {
		return [3]float64{float64(v >> 16 & 0xff), float64(v >> 8 & 0xff), float64(v & 0xff)}
	}
	deep, mid, light := c(p[0]), c(p[1]), c(p[2])
	mix := func(a, b [3]float64, t float64) [3]float64 {
		t = math.Max(0, math.Min(1, t))
		return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
	}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	cx, cy := size/2.0, size*0.46
	stars := [][2]float64{}
	s := uint32(seed*2654435761 + 12345)
	for range 14 {
		s = s*1664525 + 1013904223
		x := float64(s >> 8 % size)
		s = s*1664525 + 1013904223
		y := float64(s >> 8 % (size / 2))
		stars = append(stars, [2]float64{x, y})
	}
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := float64(x), float64(y)
			d := math.Hypot(fx-cx, fy-cy) / size
			col := mix(light, mid, d*1.6)
			col = mix(col, deep, (d-0.35)*2.2)
			// Head.
			if math.Hypot((fx-cx)/0.86, fy-size*0.40) < size*0.15 {
				col = mix(deep, [3]float64{20, 12, 40}, 0.55)
			}
			// Shoulders.
			sx := (fx - cx) / (size * 0.36)
			sy := (fy - size*0.98) / (size * 0.36)
			if sx*sx+sy*sy < 1 && fy > size*0.6 {
				col = mix(deep, [3]float64{20, 12, 40}, 0.55)
			}
			for _, st := range stars {
				if math.Hypot(fx-st[0], fy-st[1]) < 1.8 {
					col = mix(col, [3]float64{255, 250, 230}, 0.85)
				}
			}
			img.Set(x, y, color.RGBA{uint8(col[0]), uint8(col[1]), uint8(col[2]), 255})
		}
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}
