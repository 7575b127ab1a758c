package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
)

// SEC-5: /media serves stored avatars and nothing else: the file store's
// metadata sidecars (.attrs), unknown keys and paths that climb out of the
// avatar folder, however they are spelled, answer 404 — never 500, never a
// file.
func TestMediaServesOnlyAvatars_SEC5(t *testing.T) {
	eachApp(t, func(t *testing.T, s *apptest.Server) {
		w := newWorld(t, s)
		key, err := s.App.Accounts.UploadAvatar(ctx, w.reader.ID, pngBytes(t, 40, 40))
		if err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		img := c.Do("GET", "/media/"+key, nil)
		if img.Status != http.StatusOK || img.Header.Get("Content-Type") != "image/jpeg" || len(img.Body) == 0 {
			t.Fatalf("GET /media/%s: %d %v", key, img.Status, img.Header)
		}
		for _, path := range []string{
			"/media/" + key + ".attrs",
			"/media/anything.attrs",
			"/media/avatars/anything.attrs",
			"/media/avatars/" + strings.TrimPrefix(key, "avatars/") + "%2Eattrs",
			"/media/avatars/",
			"/media/avatars/nope.jpg",
			"/media/" + strings.ToUpper(key),
			"/media/avatars/../" + key,
			"/media/avatars/..%2F" + key,
			"/media/avatars/%2E%2E/%2E%2E/soulseer.db",
			"/media/avatars/..%5C..%5Csoulseer.db",
			"/media/avatars%5C..%5C" + key,
			"/media/avatars/%5C" + strings.TrimPrefix(key, "avatars/"),
			"/media/avatars/%00" + strings.TrimPrefix(key, "avatars/"),
			"/media/" + key + "%00.attrs",
			"/media//" + key,
			"/media/./" + key,
			"/media/%2F" + key,
		} {
			res := c.Do("GET", path, nil)
			// The router answers dot segments and doubled slashes with a
			// redirect to the cleaned path; follow it once.
			if loc := res.Header.Get("Location"); res.Status/100 == 3 && strings.HasPrefix(loc, "/") {
				res = c.Do("GET", loc, nil)
			}
			if res.Status == http.StatusOK && bytes.Equal(res.Body, img.Body) && strings.HasPrefix(res.Header.Get("Content-Type"), "image/") {
				// A cleaned path that names the avatar itself is the
				// avatar; that is no escape.
				continue
			}
			if res.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404: %.200s", path, res.Status, res.Body)
			}
		}
	})
}
