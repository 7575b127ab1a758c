// Package upload keeps the files users attach to what they write (COM-3):
// pictures (JPEG, PNG, WebP, GIF) and PDFs of at most MaxBytes each. What a
// file is comes from its bytes, never its name or the type the browser
// claims; pictures are decoded and encoded again — dropping EXIF, GPS
// positions and anything hidden behind the pixels — turned upright, kept
// at most MaxSide pixels long, with a thumbnail. Each user has a quota;
// uploads never attached are removed by a periodic job.
package upload

import (
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/filestore"
)

// Service stores and finds uploads.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Files *filestore.Store
	// QuotaBytes is how much one user may keep uploaded in all.
	QuotaBytes int64
}

// Limits on uploads.
const (
	MaxBytes          = 10 << 20 // one file
	MaxSide           = 2048     // pixels of a stored picture's longer side
	ThumbSide         = 320      // pixels of a thumbnail's longer side
	maxPixels         = 50_000_000
	DefaultQuotaBytes = 200 << 20
	// OrphanAge is how long an upload may stay unattached before the
	// cleanup job removes it.
	OrphanAge = 24 * time.Hour
)

// Upload is a stored file.
type Upload struct {
	ID          int64     `json:"id"`
	OwnerID     int64     `json:"-"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Bytes       int64     `json:"bytes"`
	Width       int       `json:"width,omitempty"`
	Height      int       `json:"height,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	// Attached is whether the upload is part of something posted: until
	// then only its owner and admins may fetch it.
	Attached   bool `json:"-"`
	key, thumb string
}

// URL is where the file is served.
func (u Upload) URL() string { return fmt.Sprintf("/uploads/%d/%s", u.ID, u.Name) }

// ThumbURL is where a picture's thumbnail is served; "" for a PDF.
func (u Upload) ThumbURL() string {
	if u.thumb == "" {
		return ""
	}
	return fmt.Sprintf("/uploads/%d/thumb", u.ID)
}

// Image reports whether the upload is a picture.
func (u Upload) Image() bool { return u.ContentType != PDF }
