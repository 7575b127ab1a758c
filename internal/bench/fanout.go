package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FanoutOptions configure the fan-out benchmark.
type FanoutOptions struct {
	DatabaseURL string        // a PostgreSQL server (any database on it); empty runs SQLite
	Viewers     int           // WebSocket viewers of the one stream
	Senders     int           // users sending the chat
	Rate        float64       // chat messages per second, all senders together
	Duration    time.Duration // how long the chat is sent
	// Centrifugo is a centrifugo binary (v6) to run under the same load;
	// empty measures SoulSeer alone.
	Centrifugo string
	// ViewerCommand starts the viewers' process, which must run
	// FanoutViewers on its standard input and output.
	ViewerCommand []string
	// InstanceCommand starts the second SoulSeer instance's process on
	// PostgreSQL, which must run FanoutInstance on its standard input and
	// output.
	InstanceCommand []string
	// MinDelivered is the share of expected deliveries below which the run
	// fails.
	MinDelivered float64
}

// DefaultFanoutOptions are the settings docs/benchmarks.md reports.
func DefaultFanoutOptions() FanoutOptions {
	return FanoutOptions{Viewers: 10_000, Senders: 4, Rate: 5, Duration: 30 * time.Second, MinDelivered: 0.99}
}

// fanoutResult is one system's measurement.
type fanoutResult struct {
	name         string
	sent         int // messages the server accepted
	refused      int // messages the server refused or did not answer
	firstRefusal string
	start        time.Time // when the first message was sent
	viewers      viewersReady
	got          viewersResult
	took         time.Duration // from the first message sent to the last delivery
	rssPerConn   float64       // bytes of resident memory per connection
	heapPerCon   float64       // bytes of Go heap and stacks per connection; 0 when unknown
}

func (r fanoutResult) rate() float64 {
	if r.took <= 0 {
		return 0
	}
	return float64(r.got.Deliveries) / r.took.Seconds()
}

// Fanout measures how fast one stream's chat reaches opt.Viewers WebSocket
// viewers: SoulSeer runs in this process (on SQLite, or given a PostgreSQL
// server, as two instances on a scratch database there, the chat sent
// through one in a child process and watched on the other, so every
// delivery crosses LISTEN/NOTIFY), the viewers in a child process, and
// opt.Senders users send opt.Rate messages a second for opt.Duration. It prints deliveries per
// second, delivery latency, messages lost and the server's memory per
// connection; with opt.Centrifugo it measures Centrifugo the same way and
// prints, last, the ratio of deliveries per second ours ÷ Centrifugo's. A
// server fails the run when fewer than opt.MinDelivered of every message
// sent to it, refused ones included, reach every viewer.
func Fanout(ctx context.Context, opt FanoutOptions, out io.Writer) error {
	if opt.Viewers < 1 || opt.Senders < 1 || opt.Rate <= 0 || opt.Duration <= 0 || len(opt.ViewerCommand) == 0 {
		return errors.New("bench fanout: viewers, senders, rate and duration must be positive")
	}
	if opt.DatabaseURL != "" && len(opt.InstanceCommand) == 0 {
		return errors.New("bench fanout: on PostgreSQL the second instance's command is needed")
	}
	raiseFileLimit()
	fmt.Fprintf(out, "%d viewers of one stream, %.0f chat messages/s from %d senders for %s\n", opt.Viewers, opt.Rate, opt.Senders, opt.Duration)
	ours, err := fanoutSoulSeer(ctx, opt, out)
	if err != nil {
		return err
	}
	report(out, ours, opt.Viewers)
	if opt.Centrifugo == "" {
		fmt.Fprintln(out, "no Centrifugo given (-centrifugo PATH): comparison skipped")
		return ours.check(opt)
	}
	cf, err := fanoutCentrifugo(ctx, opt, out)
	if err != nil {
		return errors.Join(ours.check(opt), err)
	}
	report(out, cf, opt.Viewers)
	fmt.Fprintf(out, "ratio deliveries/s %s / %s: %.2f\n", ours.name, cf.name, ours.rate()/cf.rate())
	return errors.Join(ours.check(opt), cf.check(opt))
}

// report prints one system's figures.
func report(out io.Writer, r fanoutResult, viewers int) {
	want := int64(r.sent) * int64(viewers)
	fmt.Fprintf(out, "%s: %d of %d viewers connected, %d messages sent, %d refused\n", r.name, r.viewers.Connected, viewers, r.sent, r.refused)
	if r.refused > 0 {
		fmt.Fprintf(out, "  first refusal: %s\n", r.firstRefusal)
	}
	fmt.Fprintf(out, "  deliveries: %d of %d (lost %d, viewers dropped %d), %.0f deliveries/s\n",
		r.got.Deliveries, want, want-r.got.Deliveries, r.got.Dropped, r.rate())
	fmt.Fprintf(out, "  delivery latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", r.got.P50, r.got.P99, r.got.Max)
	if r.heapPerCon > 0 {
		fmt.Fprintf(out, "  server memory per connection: %.1f KiB resident, %.1f KiB Go heap and stacks\n", r.rssPerConn/1024, r.heapPerCon/1024)
	} else {
		fmt.Fprintf(out, "  server memory per connection: %.1f KiB resident\n", r.rssPerConn/1024)
	}
}

// check fails a run that delivered less than opt.MinDelivered of every
// message the senders sent, refused ones included, to every viewer.
func (r fanoutResult) check(opt FanoutOptions) error {
	want := float64(r.sent+r.refused) * float64(opt.Viewers)
	if r.sent == 0 || float64(r.got.Deliveries) < opt.MinDelivered*want {
		return fmt.Errorf("bench fanout: %s delivered %d of %d messages × viewers (%d sent, %d refused), below %.0f%%; first viewer error: %q",
			r.name, r.got.Deliveries, int64(want), r.sent, r.refused, opt.MinDelivered*100, r.viewers.FirstErr)
	}
	return nil
}

// childProc is one of the benchmark's child processes, speaking JSON on
// its standard input and output; it stops when its input is closed.
type childProc struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	enc  *json.Encoder
	dec  *json.Decoder
	wait sync.Once
}

// startChild starts command (what names it in errors), sends it plan and
// reads its first answer into ready.
func startChild(ctx context.Context, command []string, what string, plan, ready any) (*childProc, error) {
	cmd := exec.CommandContext(ctx, command[0], command[1:]...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outp, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench fanout: start the %s: %w", what, err)
	}
	p := &childProc{cmd: cmd, in: in, enc: json.NewEncoder(in), dec: json.NewDecoder(bufio.NewReader(outp))}
	if err := p.enc.Encode(plan); err != nil {
		p.stop()
		return nil, fmt.Errorf("bench fanout: %s: %w", what, err)
	}
	if err := p.dec.Decode(ready); err != nil {
		p.stop()
		return nil, fmt.Errorf("bench fanout: %s: %w", what, err)
	}
	return p, nil
}

// stop ends the child process (the viewers' closes its connections).
func (p *childProc) stop() {
	p.wait.Do(func() {
		p.in.Close()
		_ = p.cmd.Wait()
	})
}

// startViewers starts the viewers' process and connects plan's viewers.
func startViewers(ctx context.Context, opt FanoutOptions, plan viewerPlan) (*childProc, viewersReady, error) {
	var ready viewersReady
	p, err := startChild(ctx, opt.ViewerCommand, "viewers", plan, &ready)
	return p, ready, err
}

// results tells the viewers how many messages were sent and returns what
// they received.
func (p *childProc) results(sent int) (viewersResult, error) {
	var res viewersResult
	if err := p.enc.Encode(viewersExpect{Messages: sent}); err != nil {
		return res, fmt.Errorf("bench fanout: viewers: %w", err)
	}
	if err := p.dec.Decode(&res); err != nil {
		return res, fmt.Errorf("bench fanout: viewers: %w", err)
	}
	return res, nil
}

// pace sends opt.Rate messages a second for opt.Duration, the k-th from
// sender k mod opt.Senders, each at its time whether or not the ones
// before it have been answered (a steady load, so a server that falls
// behind shows it in the latency rather than slowing the senders down);
// body carries the send time after sentAtMarker. It fills in how many
// sends succeeded and failed, the first failure, and when the first was
// sent.
func pace(ctx context.Context, opt FanoutOptions, res *fanoutResult, send func(sender int, body string) error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	res.start = time.Now()
	total := int(opt.Rate * opt.Duration.Seconds())
	every := time.Duration(float64(time.Second) / opt.Rate)
	for k := 0; k < total && ctx.Err() == nil; k++ {
		time.Sleep(time.Until(res.start.Add(time.Duration(k) * every)))
		body := "Blessings to all watching tonight " + sentAtMarker + strconv.FormatInt(time.Now().UnixNano(), 10)
		wg.Go(func() {
			err := send(k%opt.Senders, body)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				res.sent++
			} else if res.refused++; res.firstRefusal == "" {
				res.firstRefusal = err.Error()
			}
		})
	}
	wg.Wait()
}

// senderClient is the senders' HTTP client: it keeps enough connections
// open for the messages a slow server has not answered yet.
func senderClient() *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
}

// postJSON posts body as JSON to url with header and returns the answer's
// status and body.
func postJSON(ctx context.Context, client *http.Client, url string, header http.Header, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = header
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	return res.StatusCode, answer, err
}

// procRSS is the resident memory of process pid, in bytes.
func procRSS(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("bench: no VmRSS in /proc")
}
