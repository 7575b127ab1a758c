// Package crashtest runs the real soulseer binary as separate processes so
// tests can kill them with SIGKILL at random moments, or restart them one at
// a time with SIGTERM behind one address, and check that nothing
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
	bin  string
	env  []string
	cmd  *exec.Cmd
	logs *bytes.Buffer
	done chan struct{}
	// exit is how the process ended; read it once done is closed.
	exit error
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

// Start runs the server on a free address with env (added to the current
// environment) and waits until /healthz answers.
func Start(t testing.TB, bin string, env []string) *Proc {
	t.Helper()
	return StartAt(t, bin, freeAddr(t), env)
}

// StartAt runs the server on addr, as Start does. Its base URL is
// http://addr unless env sets SOULSEER_BASE_URL, as it does for instances
// behind one URL.
func StartAt(t testing.TB, bin, addr string, env []string) *Proc {
	t.Helper()
	p := &Proc{URL: "http://" + addr, bin: bin,
		env: append([]string{"SOULSEER_ADDR=" + addr, "SOULSEER_BASE_URL=http://" + addr}, env...)}
	t.Cleanup(p.Kill)
	p.start(t)
	return p
}

// Restart runs the stopped server again, on the same address with the same
// environment, and waits until /healthz answers.
func (p *Proc) Restart(t testing.TB) {
	t.Helper()
	p.start(t)
}

func (p *Proc) start(t testing.TB) {
	t.Helper()
	cmd := exec.Command(p.bin)
	cmd.Env = append(os.Environ(), p.env...)
	p.cmd, p.logs, p.done = cmd, &bytes.Buffer{}, make(chan struct{})
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start soulseer: %v", err)
	}
	done := p.done
	go func() { p.exit = cmd.Wait(); close(done) }()
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
				return
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("soulseer did not answer /healthz within 60s:\n%s", p.logs)
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

// StopTimeout bounds a graceful stop: the server lets in-flight work run
// for up to 20 s, and a stop that takes longer has hung.
const StopTimeout = 30 * time.Second

// Stop asks the process to shut down gracefully (SIGTERM) and waits; it
// fails t unless the process exits with status 0 within StopTimeout.
func (p *Proc) Stop(t testing.TB) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.exit != nil {
			t.Errorf("soulseer exited with %v after SIGTERM:\n%s", p.exit, p.logs)
		}
	case <-time.After(StopTimeout):
		t.Errorf("soulseer did not stop within %s of SIGTERM:\n%s", StopTimeout, p.logs)
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
