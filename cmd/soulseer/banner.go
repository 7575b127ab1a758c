package main

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"github.com/soulseer/soulseer/internal/config"
)

// banner tells whoever started the server where it answers and how to go
// on. It names the address the server listens on, and the base URL as well
// when browsers are meant to use another address (links in emails and
// sign-in use the base URL, and pages open live connections only from it).
// The commands it suggests carry the -data-dir and -database-url the server
// runs with, so they reach the same database; a database password is left
// out.
func banner(w io.Writer, cfg config.Config, listen net.Addr) {
	engine := "SQLite in " + cfg.DataDir
	switch {
	case strings.HasPrefix(cfg.DatabaseURL, "sqlite://"):
		engine = "SQLite in " + strings.TrimPrefix(cfg.DatabaseURL, "sqlite://")
	case cfg.DatabaseURL != "":
		engine = "PostgreSQL"
	}
	fmt.Fprintln(w)
	at := listenURL(listen)
	if sameSite(at, cfg.BaseURL) {
		fmt.Fprintf(w, "  SoulSeer is running at %s  (database: %s)\n", cfg.BaseURL, engine)
	} else {
		fmt.Fprintf(w, "  SoulSeer is listening on %s  (database: %s)\n", at, engine)
		fmt.Fprintf(w, "  Its base URL is %s: links in emails and sign-in lead there, and pages get live updates only when opened from it.\n", cfg.BaseURL)
	}
	flags := databaseFlags(cfg)
	fmt.Fprintf(w, `
  Create the first admin:   go run ./cmd/soulseer user create%s --email you@example.com --password 'choose-a-password' --role admin
  Load demo readers:        go run ./cmd/soulseer demo%s
`, flags, flags)
	if strings.Contains(flags, "xxxxx") {
		fmt.Fprintln(w, "  (put the database password in place of xxxxx)")
	}
	fmt.Fprint(w, "  Stop with Ctrl+C.\n\n")
}

// listenURL is the http:// address of a listener, naming localhost when it
// listens on every interface.
func listenURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// sameSite reports whether the base URL is the listening address itself:
// plain http on the same port of the same host, where localhost and the
// loopback addresses count as one host.
func sameSite(listen, base string) bool {
	l, err1 := url.Parse(listen)
	b, err2 := url.Parse(base)
	if err1 != nil || err2 != nil || b.Scheme != "http" {
		return false
	}
	port := b.Port()
	if port == "" {
		port = "80"
	}
	local := func(h string) bool { ip := net.ParseIP(h); return h == "localhost" || (ip != nil && ip.IsLoopback()) }
	return l.Port() == port && (l.Hostname() == b.Hostname() || (local(l.Hostname()) && local(b.Hostname())))
}

// databaseFlags are the -data-dir and -database-url flags that point another
// command at the server's database (and its uploaded files and secrets),
// shell-quoted; "" when both are the defaults.
func databaseFlags(cfg config.Config) string {
	var b strings.Builder
	for _, v := range config.Vars() {
		if v.Flag != "data-dir" && v.Flag != "database-url" {
			continue
		}
		val := cfg.DataDir
		if v.Flag == "database-url" {
			val = redactPassword(cfg.DatabaseURL)
		}
		if val != v.Default {
			fmt.Fprintf(&b, " -%s %s", v.Flag, shellQuote(val))
		}
	}
	return b.String()
}

// redactPassword replaces the password of a database URL, in its user
// part or its password parameter, with xxxxx.
func redactPassword(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "xxxxx"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain
// path and URL characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@%+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
