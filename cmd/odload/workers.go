package main

// The coordinator and its visitor workers talk in JSON lines: the job and
// then the "steady" command go down the worker's stdin, "progress", "ready"
// and "done" come back on its stdout. Closing stdin tells a worker to close
// its sockets and exit.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// workerJob is one worker's share of the visitors.
type workerJob struct {
	Index       int
	URL         string
	SiteKey     string
	Visitors    int
	FirstIndex  int      // index of its first visitor over all workers
	SourceAddrs []string // every source address; visitor n dials from n mod len
	PageEvery   time.Duration
	Navigate    string
	RampRate    int
	Origin      string
	Seed        int64
}

// workerCmd is the coordinator's go-ahead for the measured phase.
type workerCmd struct {
	Type       string // "steady"
	Start, End int64  // unix ns
}

// workerMsg is what a worker reports.
type workerMsg struct {
	Type      string // "progress", "ready", "done"
	Connected int
	Failed    int
	ConnectUS []int64       `json:",omitempty"` // ready: connect times, µs
	Stats     *visitorStats `json:",omitempty"` // done
}

// visitorStats is what a worker's visitors did in the measured phase.
type visitorStats struct {
	PagesSent      int64
	PageErrors     int64
	Reconnects     int64
	ReconnectFails int64
	ReconnectUS    []int64
	Pings          int64          // the server's pings received in the phase
	Drops          map[string]int // sockets the server ended, by reason
	Errors         map[string]int // dial and write errors, by reason
}

// runWorker is the --worker side: connect, wait for the go-ahead, move
// pages until the end, report, and hold the sockets until stdin closes.
func runWorker(in io.Reader, out io.Writer) error {
	dec, enc := json.NewDecoder(in), json.NewEncoder(out)
	var encMu sync.Mutex
	send := func(m workerMsg) {
		encMu.Lock()
		defer encMu.Unlock()
		enc.Encode(m)
	}
	var job workerJob
	if err := dec.Decode(&job); err != nil {
		return fmt.Errorf("reading the job: %w", err)
	}
	g, err := newGroup(job)
	if err != nil {
		return err
	}
	times, failed := g.connectAll(context.Background(), func(c, f int) { send(workerMsg{Type: "progress", Connected: c, Failed: f}) })
	send(workerMsg{Type: "ready", Connected: len(times), Failed: failed, ConnectUS: times})
	var cmd workerCmd
	if err := dec.Decode(&cmd); err != nil {
		g.closeAll()
		return nil // the coordinator is done with us
	}
	g.pingFrom.Store(cmd.Start)
	g.pingTo.Store(cmd.End)
	g.runPages(time.Unix(0, cmd.Start), time.Unix(0, cmd.End))
	send(workerMsg{Type: "done", Stats: g.stats()})
	io.Copy(io.Discard, in) // until the coordinator closes stdin
	g.closeAll()
	return nil
}

func (g *group) stats() *visitorStats {
	g.mu.Lock()
	defer g.mu.Unlock()
	return &visitorStats{PagesSent: g.sent.Load(), PageErrors: g.pageErrors.Load(), Reconnects: g.reconnects.Load(),
		ReconnectFails: g.reconnectFails.Load(), ReconnectUS: g.reconnectT, Drops: g.drops, Errors: g.errs, Pings: g.pings.Load()}
}

// worker is the coordinator's handle on one worker process.
type worker struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	enc   *json.Encoder
	msgs  chan workerMsg
	pid   int
}

// startWorker runs this program again with --worker and sends it its job.
func startWorker(job workerJob) (*worker, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "--worker")
	cmd.Stderr = os.Stderr
	// a worker dies with the coordinator, so no sockets are left behind
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w := &worker{cmd: cmd, stdin: stdin, enc: json.NewEncoder(stdin), msgs: make(chan workerMsg, 16), pid: cmd.Process.Pid}
	go func() {
		defer close(w.msgs)
		dec := json.NewDecoder(stdout)
		for {
			var m workerMsg
			if dec.Decode(&m) != nil {
				return
			}
			w.msgs <- m
		}
	}()
	return w, w.enc.Encode(job)
}

// await returns the next message of the given type, passing progress to
// onProgress; it fails if the worker exits first.
func (w *worker) await(ctx context.Context, typ string, onProgress func(workerMsg)) (workerMsg, error) {
	for {
		select {
		case m, ok := <-w.msgs:
			if !ok {
				return m, fmt.Errorf("worker %d exited before %q", w.pid, typ)
			}
			if m.Type == typ {
				return m, nil
			}
			if onProgress != nil {
				onProgress(m)
			}
		case <-ctx.Done():
			return workerMsg{}, ctx.Err()
		}
	}
}

// stop closes the worker's stdin and waits for it, killing it after a while.
func (w *worker) stop() {
	w.stdin.Close()
	done := make(chan struct{})
	go func() { w.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		w.cmd.Process.Kill()
		<-done
	}
}

// cpuSeconds is the CPU a finished worker used.
func (w *worker) cpuSeconds() float64 {
	if w.cmd.ProcessState == nil {
		return 0
	}
	return (w.cmd.ProcessState.UserTime() + w.cmd.ProcessState.SystemTime()).Seconds()
}
