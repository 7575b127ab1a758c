package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/demo"
)

// OPS-1: a server started with a data directory and an address of its own
// prints the address it listens on beside the base URL, and the commands
// its banner suggests, run as printed, create the admin and load the demo
// into that server's database, not into ./data.
func TestServeBannerCommandsUseTheServersDatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "soul data")
	noEnv := func(string) string { return "" }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-data-dir", dir}, noEnv, &out, io.Discard) }()
	text := out.waitFor(t, "Stop with Ctrl+C.", done)

	m := regexp.MustCompile(`listening on (http://127\.0\.0\.1:[0-9]+) `).FindStringSubmatch(text)
	if m == nil || !strings.Contains(text, "base URL is http://localhost:8080") {
		t.Fatalf("the banner does not name both the address listened on and the base URL:\n%s", text)
	}
	res, err := http.Get(m[1] + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the server does not answer at %s, the address its banner names: %v", m[1], err)
	}
	res.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}

	for _, cmd := range []string{"user create", "demo"} {
		line := regexp.MustCompile(`go run \./cmd/soulseer ` + cmd + `.*`).FindString(text)
		if !strings.Contains(line, "-data-dir '"+dir+"'") {
			t.Fatalf("the %s command does not name the server's data directory %q: %s", cmd, dir, line)
		}
		args := shellWords(t, strings.TrimPrefix(line, "go run ./cmd/soulseer "))
		if out, err := runCLI(t, t.TempDir(), args...); err != nil {
			t.Fatalf("%s as printed: %v\n%s", line, err, out)
		}
	}
	d, err := db.Open(context.Background(), "", dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM users WHERE email IN ($1, $2)`,
		"you@example.com", demo.ClientEmail).Scan(&n); err != nil || n != 2 {
		t.Fatalf("the server's database holds %d of the admin and the demo client (%v), want both", n, err)
	}
}

// OPS-1: the banner names one address when the base URL is where the server
// listens, both when they differ, and keeps a database password out of the
// commands it prints.
func TestBanner(t *testing.T) {
	any8080 := &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}
	for _, c := range []struct {
		name      string
		cfg       config.Config
		listen    net.Addr
		want, not []string
	}{
		{"defaults", config.Config{DataDir: "./data", BaseURL: "http://localhost:8080"}, any8080,
			[]string{"running at http://localhost:8080  (database: SQLite in ./data)", "go run ./cmd/soulseer demo\n", "user create --email"},
			[]string{"listening on", "-data-dir", "-database-url"}},
		{"loopback", config.Config{DataDir: "./data", BaseURL: "http://127.0.0.1:8080"}, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080},
			[]string{"running at http://127.0.0.1:8080"}, []string{"listening on"}},
		{"behind a proxy", config.Config{DataDir: "/var/lib/soulseer", BaseURL: "https://soulseer.example.com",
			DatabaseURL: "postgres://soul:s3cret@db.example:5432/soulseer?sslmode=disable"}, any8080,
			[]string{"listening on http://localhost:8080  (database: PostgreSQL)", "base URL is https://soulseer.example.com",
				"demo -data-dir /var/lib/soulseer -database-url 'postgres://soul:xxxxx@db.example:5432/soulseer?sslmode=disable'\n",
				"put the database password in place of xxxxx"},
			[]string{"s3cret", "running at"}},
		{"password parameter", config.Config{DataDir: "./data", BaseURL: "http://localhost:8080",
			DatabaseURL: "postgres://db.example/soulseer?password=s3cret&user=soul"}, any8080,
			[]string{"-database-url 'postgres://db.example/soulseer?password=xxxxx&user=soul'"}, []string{"s3cret"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			banner(&b, c.cfg, c.listen)
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("the banner lacks %q:\n%s", w, b.String())
				}
			}
			for _, n := range c.not {
				if strings.Contains(b.String(), n) {
					t.Errorf("the banner holds %q:\n%s", n, b.String())
				}
			}
		})
	}
}

// lockedBuffer is a buffer that a running server writes while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// waitFor returns what was written once it holds want, failing when the
// server stops first or a minute passes.
func (l *lockedBuffer) waitFor(t *testing.T, want string, done <-chan error) string {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		l.mu.Lock()
		s := l.b.String()
		l.mu.Unlock()
		if strings.Contains(s, want) {
			return s
		}
		select {
		case err := <-done:
			t.Fatalf("the server stopped before printing %q: %v\n%s", want, err, s)
		case <-deadline:
			t.Fatalf("no %q after a minute:\n%s", want, s)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// shellWords splits a command line as a POSIX shell would, for the plain
// words and single-quoted strings the banner prints.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, w.String())
				w.Reset()
			}
			inWord = false
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quote in %q", line)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}
