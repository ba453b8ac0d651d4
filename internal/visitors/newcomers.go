package visitors

import (
	"context"
	"sync"
	"time"

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// maxNewcomers bounds a batch, so one commit stays short (and its
// statements under 999 parameters, SQLite's oldest limit).
const maxNewcomers = 128

// newcomers writes the new visitors that arrive within a short wait of the
// first (Deps.NewVisitorWait) in one transaction. Every visitor on a
// customer's site is new at its first page, hundreds a second on a busy
// site: alone, each would be a commit of its own, the largest part of what
// a new visitor costs the server. Each one's welcome waits for the commit,
// so its id and token are stored before anything it does next.
type newcomers struct {
	store store.Visitors
	clock clock.Clock
	wait  time.Duration
	life  context.Context // what the writes run under

	mu      sync.Mutex
	pending []*newcomer
	timer   clock.Timer
	closed  bool // shut down: each is written at once
}

type newcomer struct {
	nv   store.NewVisitor
	err  error
	done chan struct{}
}

// create writes nv with the others that arrive before the wait runs out (or
// the batch is full), and returns it with its id once committed.
func (n *newcomers) create(nv store.NewVisitor) (desk.Visitor, error) {
	c := &newcomer{nv: nv, done: make(chan struct{})}
	n.mu.Lock()
	n.pending = append(n.pending, c)
	var now []*newcomer
	switch {
	case n.wait <= 0 || n.closed || len(n.pending) >= maxNewcomers:
		now = n.takeLocked()
	case len(n.pending) > 1: // the first one's wait is running
	case n.timer == nil:
		n.timer = n.clock.AfterFunc(n.wait, n.flush)
	default:
		n.timer.Reset(n.wait)
	}
	n.mu.Unlock()
	if now != nil {
		n.write(now)
	}
	<-c.done
	return c.nv.Visitor, c.err
}

// waiting is how many new visitors wait for their batch's commit to start.
func (n *newcomers) waiting() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.pending)
}

// flush writes the batch when the wait runs out.
func (n *newcomers) flush() {
	n.mu.Lock()
	batch := n.takeLocked()
	n.mu.Unlock()
	n.write(batch)
}

// stop writes what waits now and every later one at once (shutdown).
func (n *newcomers) stop() {
	n.mu.Lock()
	n.closed = true
	batch := n.takeLocked()
	n.mu.Unlock()
	n.write(batch)
}

func (n *newcomers) takeLocked() []*newcomer {
	batch := n.pending
	n.pending = nil
	if n.timer != nil {
		n.timer.Stop()
	}
	return batch
}

// write commits a batch. A batch the store refuses is written again one
// visitor at a time, so one visitor's failure (a token in use) is not its
// neighbours'.
func (n *newcomers) write(batch []*newcomer) {
	if len(batch) == 0 {
		return
	}
	nvs := make([]store.NewVisitor, len(batch))
	for i, c := range batch {
		nvs[i] = c.nv
	}
	err := n.store.CreateVisitorsOnPages(n.life, nvs)
	if err != nil && len(batch) > 1 {
		for _, c := range batch {
			one := []store.NewVisitor{c.nv}
			c.err = n.store.CreateVisitorsOnPages(n.life, one)
			c.nv = one[0]
			close(c.done)
		}
		return
	}
	for i, c := range batch {
		c.nv, c.err = nvs[i], err
		close(c.done)
	}
}
