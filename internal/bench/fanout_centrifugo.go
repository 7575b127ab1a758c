package bench

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"
)

// centrifugoChannel is the channel Centrifugo's viewers subscribe to: the
// stream's chat.
const centrifugoChannel = "stream-1"

// fanoutCentrifugo measures Centrifugo, run from opt.Centrifugo with a
// generated configuration on a free loopback port, the same way: the same
// number of viewers over its JSON WebSocket protocol (connect with an HMAC
// token, subscribe to one channel), the same chat published through its
// HTTP server API.
func fanoutCentrifugo(ctx context.Context, opt FanoutOptions, out io.Writer) (fanoutResult, error) {
	res := fanoutResult{name: "Centrifugo"}
	dir, err := os.MkdirTemp("", "soulseer-bench-centrifugo-")
	if err != nil {
		return res, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	cf, err := startCentrifugo(ctx, opt.Centrifugo, dir)
	if err != nil {
		return res, err
	}
	defer cf.stop()
	fmt.Fprintf(out, "Centrifugo %s\n", cf.version)
	res.name = "Centrifugo " + cf.version
	plan := viewerPlan{URL: "ws://" + cf.addr + "/connection/websocket", ReadyAfter: `"id":2`, Pong: true,
		Auth: make([]string, opt.Viewers), Hello: make([]string, opt.Viewers)}
	exp := time.Now().Add(24 * time.Hour).Unix()
	for i := range plan.Hello {
		plan.Hello[i] = `{"id":1,"connect":{"token":"` + hs256(cf.secret, fmt.Sprintf(`{"sub":"%d","exp":%d}`, i+1, exp)) +
			`"}}` + "\n" + `{"id":2,"subscribe":{"channel":"` + centrifugoChannel + `"}}`
	}
	rss0, err := procRSS(cf.cmd.Process.Pid)
	if err != nil {
		return res, err
	}
	viewers, ready, err := startViewers(ctx, opt, plan)
	if err != nil {
		return res, err
	}
	defer viewers.stop()
	res.viewers = ready
	rss1, err := procRSS(cf.cmd.Process.Pid)
	if err != nil {
		return res, err
	}
	if ready.Connected > 0 {
		res.rssPerConn = (rss1 - rss0) / float64(ready.Connected)
	}
	client := senderClient()
	var id atomic.Int64
	pace(ctx, opt, &res, func(s int, body string) error {
		// The same fields as SoulSeer's chat message, so the frames are alike.
		data, _ := json.Marshal(map[string]any{"id": id.Add(1), "stream_id": 1, "sender_id": s + 1, "sender": fmt.Sprintf("u%d@bench.test", s+1),
			"body": body, "created_at": time.Now().UTC().Format(time.RFC3339Nano)})
		return cf.publish(ctx, client, data)
	})
	if res.got, err = viewers.results(res.sent); err != nil {
		return res, err
	}
	res.took = time.Unix(0, res.got.LastAt).Sub(res.start)
	return res, nil
}

// centrifugo is a running Centrifugo.
type centrifugo struct {
	cmd     *exec.Cmd
	addr    string
	apiKey  string
	secret  string
	version string
}

// startCentrifugo runs the binary at path with a configuration written to
// dir and waits until its API answers.
func startCentrifugo(ctx context.Context, path, dir string) (*centrifugo, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cf := &centrifugo{addr: "127.0.0.1:" + strconv.Itoa(port), apiKey: "bench-" + newRunID(), secret: "bench-" + newRunID() + newRunID()}
	conf, _ := json.MarshalIndent(map[string]any{
		"log":         map[string]any{"level": "error"},
		"http_server": map[string]any{"address": "127.0.0.1", "port": port},
		"http_api":    map[string]any{"key": cf.apiKey},
		"client": map[string]any{
			"token":           map[string]any{"hmac_secret_key": cf.secret},
			"allowed_origins": []string{"*"},
		},
		"channel": map[string]any{"without_namespace": map[string]any{"allow_subscribe_for_client": true}},
	}, "", "  ")
	file := filepath.Join(dir, "config.json")
	if err := os.WriteFile(file, conf, 0o600); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	cf.version = "(version unknown)"
	if info, err := buildinfo.ReadFile(path); err == nil {
		cf.version = info.Main.Version
	}
	cf.cmd = exec.CommandContext(ctx, path, "--config", file)
	cf.cmd.Stdout, cf.cmd.Stderr = os.Stderr, os.Stderr
	if err := cf.cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench fanout: start Centrifugo: %w", err)
	}
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		err := cf.call(ctx, client, "info", []byte(`{}`))
		if err == nil {
			return cf, nil
		}
		if time.Now().After(deadline) {
			cf.stop()
			return nil, fmt.Errorf("bench fanout: Centrifugo did not start: %w", err)
		}
	}
}

// publish publishes data to the channel through the HTTP server API.
func (cf *centrifugo) publish(ctx context.Context, client *http.Client, data []byte) error {
	body, _ := json.Marshal(map[string]any{"channel": centrifugoChannel, "data": json.RawMessage(data)})
	return cf.call(ctx, client, "publish", body)
}

// call calls one method of the HTTP server API.
func (cf *centrifugo) call(ctx context.Context, client *http.Client, method string, body []byte) error {
	status, answer, err := postJSON(ctx, client, "http://"+cf.addr+"/api/"+method, http.Header{"X-API-Key": {cf.apiKey}}, body)
	if err != nil {
		return err
	}
	var ans struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if status != http.StatusOK || json.Unmarshal(answer, &ans) != nil || ans.Error != nil {
		return fmt.Errorf("centrifugo %s: %d %s", method, status, answer)
	}
	return nil
}

func (cf *centrifugo) stop() {
	_ = cf.cmd.Process.Kill()
	_ = cf.cmd.Wait()
}

// hs256 is a JSON Web Token of claims signed with HMAC-SHA256 under secret.
func hs256(secret, claims string) string {
	enc := base64.RawURLEncoding
	s := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(claims))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(s))
	return s + "." + enc.EncodeToString(mac.Sum(nil))
}
