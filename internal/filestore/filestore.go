// Package filestore keeps uploaded files (avatars, attachments, downloads) in
// a gocloud.dev bucket: R2/S3 in production (s3:// URLs), a local directory
// under the data dir by default (EXT-4).
package filestore

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob" // registers s3:// for R2 and S3
	"gocloud.dev/gcerrors"

	"github.com/soulseer/soulseer/internal/apperr"
)

// Store reads and writes files by key.
type Store struct {
	bucket *blob.Bucket
}

// Open opens the bucket at blobURL, or files/ under dataDir when blobURL is empty.
func Open(ctx context.Context, blobURL, dataDir string) (*Store, error) {
	if blobURL == "" {
		dir := filepath.Join(dataDir, "files")
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("filestore: %w", err)
		}
		b, err := fileblob.OpenBucket(dir, &fileblob.Options{NoTempDir: true})
		if err != nil {
			return nil, fmt.Errorf("filestore: open %s: %w", dir, err)
		}
		return &Store{bucket: b}, nil
	}
	b, err := blob.OpenBucket(ctx, blobURL)
	if err != nil {
		return nil, fmt.Errorf("filestore: open bucket: %w", err)
	}
	return &Store{bucket: b}, nil
}

// Close releases the bucket.
func (s *Store) Close() error { return s.bucket.Close() }

// Put stores data under key.
func (s *Store) Put(ctx context.Context, key, contentType string, data []byte) error {
	err := s.bucket.WriteAll(ctx, key, data, &blob.WriterOptions{ContentType: contentType, CacheControl: "public, max-age=31536000, immutable"})
	if err != nil {
		return fmt.Errorf("filestore: put %s: %w", key, err)
	}
	return nil
}

// Delete removes the file under key; a missing file is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.bucket.Delete(ctx, key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return fmt.Errorf("filestore: delete %s: %w", key, err)
	}
	return nil
}

// File is an open stored file.
type File struct {
	io.ReadCloser
	ContentType string
	Size        int64
}

// Open opens the file under key; a missing file is a NotFound error.
func (s *Store) Open(ctx context.Context, key string) (*File, error) {
	r, err := s.bucket.NewReader(ctx, key, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, apperr.Errorf(apperr.NotFound, "No such file.")
	}
	if err != nil {
		return nil, fmt.Errorf("filestore: open %s: %w", key, err)
	}
	return &File{ReadCloser: r, ContentType: r.ContentType(), Size: r.Size()}, nil
}

// SignedURL returns an address that fetches the file under key directly
// from the bucket for ttl (a presigned URL on S3 and R2, EXT-4). ok is
// false when the store cannot sign addresses (a local directory): the
// file is then served by SoulSeer itself.
func (s *Store) SignedURL(ctx context.Context, key string, ttl time.Duration) (url string, ok bool, err error) {
	url, err = s.bucket.SignedURL(ctx, key, &blob.SignedURLOptions{Expiry: ttl})
	if gcerrors.Code(err) == gcerrors.Unimplemented {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("filestore: sign %s: %w", key, err)
	}
	return url, true, nil
}
