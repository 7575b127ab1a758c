package account

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
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/imaging"
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
// to a square, scaled to at most AvatarSize, turned upright as a JPEG's EXIF
// orientation says (a phone photo stored sideways is shown as taken),
// encoded as JPEG.
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
	if err := jpeg.Encode(&out, imaging.Orient(dst, imaging.Orientation(data)), &jpeg.Options{Quality: 86}); err != nil {
		return nil, fmt.Errorf("account: encode avatar: %w", err)
	}
	return out.Bytes(), nil
}

// avatarKeyPattern matches the keys avatarKey makes and nothing else.
var avatarKeyPattern = regexp.MustCompile(`^avatars/[1-9][0-9]{0,18}-[0-9a-f]{12}\.jpg$`)

// avatarKey names a user's stored avatar by user and content hash.
func avatarKey(userID int64, img []byte) string {
	sum := sha256.Sum256(img)
	return fmt.Sprintf("avatars/%d-%s.jpg", userID, hex.EncodeToString(sum[:6]))
}

// IsAvatarKey reports whether key is the key of a stored avatar, the only
// stored files served to the public; any other key (the file store's own
// metadata files, paths that climb out of the avatar folder) is not.
func IsAvatarKey(key string) bool { return avatarKeyPattern.MatchString(key) }

// UploadAvatar processes and stores a user's new photo, which every user
// may have and a reader's profile shows (RDR-1, ACC-9). The key carries a
// content hash, so the served file can be cached forever.
func (s *Service) UploadAvatar(ctx context.Context, userID int64, data []byte) (string, error) {
	img, err := ProcessAvatar(data)
	if err != nil {
		return "", err
	}
	key := avatarKey(userID, img)
	if err := s.Files.Put(ctx, key, "image/jpeg", img); err != nil {
		return "", err
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET avatar_key = $1, updated_at = $2 WHERE id = $3`, key, db.Millis(s.Clock.Now()), userID)
		if err != nil {
			return fmt.Errorf("account: set avatar: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "No such user.")
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return key, nil
}
