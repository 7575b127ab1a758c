package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// instancePlan tells an instance's process which database to serve.
type instancePlan struct {
	DatabaseURL string `json:"database_url"`
	Dir         string `json:"dir"`
}

// instanceReady is what an instance's process answers once it serves.
type instanceReady struct {
	URL string `json:"url"`
}

// FanoutInstance is the process of the fan-out benchmark's second
// SoulSeer instance, the one the chat is sent through on PostgreSQL: it
// reads an instancePlan from in, serves SoulSeer on a free loopback port,
// writes its address to out, and stops when in is closed — a process of
// its own, as each instance of a deployment is.
func FanoutInstance(ctx context.Context, in io.Reader, out io.Writer) error {
	dec := json.NewDecoder(in)
	var plan instancePlan
	if err := dec.Decode(&plan); err != nil {
		return fmt.Errorf("bench instance: read plan: %w", err)
	}
	inst, err := startInstance(ctx, plan.DatabaseURL, plan.Dir)
	if err != nil {
		return err
	}
	defer inst.stop()
	if err := json.NewEncoder(out).Encode(instanceReady{URL: inst.url}); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, in)
	return nil
}

// startChildInstance runs an instance on databaseURL in a process of its
// own, started with command (which runs FanoutInstance).
func startChildInstance(ctx context.Context, command []string, databaseURL, dir string) (*instance, error) {
	var ready instanceReady
	p, err := startChild(ctx, command, "second instance", instancePlan{DatabaseURL: databaseURL, Dir: dir}, &ready)
	if err != nil {
		return nil, err
	}
	return &instance{url: ready.URL, stop: p.stop}, nil
}
