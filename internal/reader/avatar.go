package reader

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	_ "image/gif" // decoders for accepted uploads
	"image/jpeg"
	_ "image/png"
	"regexp"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"github.com/soulseer/soulseer/internal/apperr"
)

// Avatar limits: uploads up to MaxAvatarBytes of PNG, JPEG, GIF or WebP,
// stored as a square JPEG of AvatarSize pixels (re-encoding also drops any
// metadata, such as GPS positions, the original carried).
const (
	MaxAvatarBytes  = 5 << 20
	AvatarSize      = 512
	maxAvatarPixels = 40_000_000
)

// ProcessAvatar turns an uploaded image into the stored avatar: centre-cropped
// to a square, scaled to at most AvatarSize, encoded as JPEG.
func ProcessAvatar(data []byte) ([]byte, error) {
	bad := apperr.Validation(map[string]string{"avatar": "Upload a PNG, JPEG, GIF or WebP image of at most 5 MB."})
	if len(data) == 0 || len(data) > MaxAvatarBytes {
		return nil, bad
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxAvatarPixels {
		return nil, bad
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, bad
	}
	b := src.Bounds()
	side := min(b.Dx(), b.Dy())
	corner := image.Pt(b.Min.X+(b.Dx()-side)/2, b.Min.Y+(b.Dy()-side)/2)
	crop := image.Rectangle{Min: corner, Max: corner.Add(image.Pt(side, side))}
	size := min(side, AvatarSize)
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	stddraw.Draw(dst, dst.Bounds(), image.NewUniform(color.RGBA{0x1b, 0x14, 0x33, 0xff}), image.Point{}, stddraw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, crop, draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 86}); err != nil {
		return nil, fmt.Errorf("reader: encode avatar: %w", err)
	}
	return out.Bytes(), nil
}

// avatarKeyPattern matches the keys avatarKey makes and nothing else.
var avatarKeyPattern = regexp.MustCompile(`^avatars/[1-9][0-9]{0,18}-[0-9a-f]{12}\.jpg$`)

// avatarKey names a reader's stored avatar by reader and content hash.
func avatarKey(readerID int64, img []byte) string {
	sum := sha256.Sum256(img)
	return fmt.Sprintf("avatars/%d-%s.jpg", readerID, hex.EncodeToString(sum[:6]))
}

// IsAvatarKey reports whether key is the key of a stored avatar, the only
// stored files served to the public; any other key (the file store's own
// metadata files, paths that climb out of the avatar folder) is not.
func IsAvatarKey(key string) bool { return avatarKeyPattern.MatchString(key) }

// UploadAvatar processes and stores a reader's new avatar. The key carries a
// content hash, so the served file can be cached forever.
func (s *Service) UploadAvatar(ctx context.Context, readerID int64, data []byte) (string, error) {
	img, err := ProcessAvatar(data)
	if err != nil {
		return "", err
	}
	key := avatarKey(readerID, img)
	if err := s.Files.Put(ctx, key, "image/jpeg", img); err != nil {
		return "", err
	}
	if err := s.SetAvatar(ctx, readerID, key); err != nil {
		return "", err
	}
	return key, nil
}
