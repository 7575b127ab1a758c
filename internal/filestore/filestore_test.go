package filestore_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/filestore"
)

// EXT-4: a bucket on S3 or R2 signs time-limited addresses for a file
// (AWS Signature V4, without a request made); a local directory cannot,
// and says so, so SoulSeer serves the file itself.
func TestSignedURL(t *testing.T) {
	ctx := context.Background()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDSOULSEER")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "soulseer-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	s3, err := filestore.Open(ctx, "s3://soulseer-files?region=auto&endpoint=http://127.0.0.1:9&use_path_style=true", "")
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	raw, ok, err := s3.SignedURL(ctx, "shop/7/abc/guide.pdf", 5*time.Minute)
	if err != nil || !ok {
		t.Fatalf("S3 signed URL: %q %v %v", raw, ok, err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "127.0.0.1:9" || u.Path != "/soulseer-files/shop/7/abc/guide.pdf" || q.Get("X-Amz-Expires") != "300" ||
		q.Get("X-Amz-Signature") == "" || !strings.HasPrefix(q.Get("X-Amz-Credential"), "AKIDSOULSEER/") {
		t.Fatalf("signed URL %s", raw)
	}

	local, err := filestore.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	if raw, ok, err := local.SignedURL(ctx, "shop/7/abc/guide.pdf", 5*time.Minute); err != nil || ok || raw != "" {
		t.Fatalf("a local directory signed %q (%v, %v)", raw, ok, err)
	}
}
