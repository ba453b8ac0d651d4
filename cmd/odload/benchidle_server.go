package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// idleTarget is a server bench-idle started: where its visitors and its
// metrics are, and how to take it down.
type idleTarget struct {
	pid        int
	url        string // http://127.0.0.1:PORT, for the visitors
	metricsURL string // http://127.0.0.1:PORT, serving /metrics and /debug/pprof/
	siteKey    string
	exited     func() string   // why the server died early, "" while it runs
	done       <-chan struct{} // closed when the server's process has ended
	stop       func()          // SIGTERM, wait, remove what it left
}

// loopbackPorts picks n free ports on 127.0.0.1.
func loopbackPorts(n int) ([]string, error) {
	out := make([]string, n)
	for i := range out {
		p, err := freePort()
		if err != nil {
			return nil, err
		}
		out[i] = fmt.Sprintf("127.0.0.1:%d", p)
	}
	return out, nil
}

// startFloor runs this program again as `odload floor`.
func startFloor(ctx context.Context, o idleOptions) (*idleTarget, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addrs, err := loopbackPorts(2)
	if err != nil {
		return nil, err
	}
	args := []string{"floor", "--addr", addrs[0], "--metrics-addr", addrs[1], "--ping-every", o.PingEvery.String()}
	cmd := exec.Command(self, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// the floor dies with odload, so no run leaves one behind
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the floor: %w", err)
	}
	fmt.Fprintf(os.Stderr, "floor: odload %s (pid %d)\n", strings.Join(args, " "), cmd.Process.Pid)
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t := &idleTarget{pid: cmd.Process.Pid, url: "http://" + addrs[0], metricsURL: "http://" + addrs[1], siteKey: "floor", done: done,
		exited: func() string {
			select {
			case <-done:
				return fmt.Sprintf("the floor exited during the run (%v)", waitErr)
			default:
				return ""
			}
		},
		stop: func() { stopProcess(cmd.Process, done) }}
	return t, awaitMetrics(ctx, t, o.StartTimeout)
}

// startDesk starts Output Desk on SQLite in a fresh data dir, as
// bench-store does, with its metrics on a port of their own, and reads the
// site key the visitors need.
func startDesk(ctx context.Context, o idleOptions) (*idleTarget, error) {
	addrs, err := loopbackPorts(1)
	if err != nil {
		return nil, err
	}
	bo := benchOptions{Bin: o.Bin, StartTimeout: o.StartTimeout, ServerArgs: []string{"--metrics-addr", addrs[0]},
		load: options{AdminEmail: o.AdminEmail, AdminPassword: o.AdminPassword}}
	srv, err := prepareAndStart(ctx, bo, "sqlite", 0)
	if srv == nil {
		return nil, err
	}
	t := &idleTarget{url: srv.url, metricsURL: "http://" + addrs[0], exited: srv.exitedEarly, done: srv.done, stop: srv.cleanup}
	if err != nil {
		return t, err
	}
	t.pid = srv.pid()
	if err := awaitMetrics(ctx, t, o.StartTimeout); err != nil {
		return t, err
	}
	base, err := loopbackBase(srv.url)
	if err != nil {
		return t, err
	}
	admin, err := login(ctx, base, o.AdminEmail, o.AdminPassword)
	if err != nil {
		return t, fmt.Errorf("admin login: %w", err)
	}
	t.siteKey, err = admin.siteKey(ctx)
	return t, err
}

// awaitMetrics waits until the server answers GET /metrics with 200.
func awaitMetrics(ctx context.Context, t *idleTarget, limit time.Duration) error {
	err := awaitOK(ctx, t.metricsURL+"/metrics", limit, t.done)
	if errors.Is(err, errExited) {
		return fmt.Errorf("the server exited at start: %s", t.exited())
	}
	return err
}
