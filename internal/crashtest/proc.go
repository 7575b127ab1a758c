// Package crashtest runs the real soulseer binary as a separate process so
// tests can kill it with SIGKILL at random moments and check that nothing
// acknowledged was lost or applied twice (OPS-3, WAL-5, OD-5).
package crashtest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// Build compiles ./cmd/soulseer once per test process and returns the binary.
func Build(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			buildErr = err
			return
		}
		root := filepath.Dir(strings.TrimSpace(string(out)))
		dir, err := os.MkdirTemp("", "soulseer-crash-bin-")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "soulseer")
		cmd := exec.Command("go", "build", "-o", buildPath, "./cmd/soulseer")
		cmd.Dir = root
		if b, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, b)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

// Proc is one running soulseer server.
type Proc struct {
	URL  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
	done chan struct{}
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Start runs the server with env (added to the current environment) and
// waits until /healthz answers.
func Start(t testing.TB, bin string, env []string) *Proc {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), append(env, "SOULSEER_ADDR="+addr, "SOULSEER_BASE_URL=http://"+addr)...)
	p := &Proc{URL: "http://" + addr, cmd: cmd, logs: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start soulseer: %v", err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(p.Kill)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("soulseer exited during start-up:\n%s", p.logs)
		default:
		}
		res, err := http.Get(p.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("soulseer did not answer /healthz within 60s:\n%s", p.logs)
	return nil
}

// Kill stops the process with SIGKILL, as a crash or power cut would, and
// waits for it to be gone.
func (p *Proc) Kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop asks the process to shut down gracefully (SIGTERM) and waits.
func (p *Proc) Stop(t testing.TB) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Errorf("soulseer did not stop within 30s of SIGTERM")
		p.Kill()
	}
}

// Run runs a soulseer subcommand to completion and returns its output.
func Run(ctx context.Context, bin string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
