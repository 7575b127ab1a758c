package upload

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // decoder for WebP uploads

	"github.com/soulseer/soulseer/internal/imaging"
)

// picture is an uploaded image as stored: encoded again, its thumbnail.
type picture struct {
	data, thumb   []byte
	contentType   string
	width, height int
}

// process decodes an upload of contentType and encodes it again: upright,
// at most MaxSide pixels long, without any metadata. JPEG and WebP are
// stored as JPEG, PNG as PNG, GIF as GIF (every frame, so animations
// play). ok is false when the bytes are not a picture of that type.
func process(data []byte, contentType string) (picture, bool, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || "image/"+format != contentType || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return picture{}, false, nil
	}
	var p picture
	var first image.Image
	var out bytes.Buffer
	switch contentType {
	case GIF:
		g, err := gif.DecodeAll(bytes.NewReader(data))
		if err != nil {
			return picture{}, false, nil
		}
		first = g.Image[0]
		if err := gif.EncodeAll(&out, g); err != nil {
			return picture{}, false, fmt.Errorf("upload: encode gif: %w", err)
		}
		p.contentType, p.width, p.height = GIF, g.Config.Width, g.Config.Height
	default:
		src, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return picture{}, false, nil
		}
		img := imaging.Orient(fit(src, MaxSide), imaging.Orientation(data))
		first = img
		p.width, p.height = img.Bounds().Dx(), img.Bounds().Dy()
		if contentType == PNG {
			err, p.contentType = png.Encode(&out, img), PNG
		} else {
			err, p.contentType = jpeg.Encode(&out, flatten(img), &jpeg.Options{Quality: 86}), JPEG
		}
		if err != nil {
			return picture{}, false, fmt.Errorf("upload: encode: %w", err)
		}
	}
	p.data = out.Bytes()
	var thumb bytes.Buffer
	if err := jpeg.Encode(&thumb, flatten(fit(first, ThumbSide)), &jpeg.Options{Quality: 80}); err != nil {
		return picture{}, false, fmt.Errorf("upload: encode thumbnail: %w", err)
	}
	p.thumb = thumb.Bytes()
	return p, true, nil
}

// fit scales src down so its longer side is at most side pixels.
func fit(src image.Image, side int) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return src
	}
	if w >= h {
		w, h = side, max(1, h*side/w)
	} else {
		w, h = max(1, w*side/h), side
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return dst
}

// flatten lays img over the page's background, as JPEG keeps no
// transparency.
func flatten(img image.Image) image.Image {
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	stddraw.Draw(dst, dst.Bounds(), image.NewUniform(color.RGBA{0xff, 0xff, 0xff, 0xff}), image.Point{}, stddraw.Src)
	stddraw.Draw(dst, dst.Bounds(), img, b.Min, stddraw.Over)
	return dst
}
