package app

import (
	"sync"
	"time"

	"outputdesk/internal/clock"
)

// busWatch follows this node's connection to the other nodes (NATS). Cut
// off for longer than --node-ttl, the others have forgotten this node's
// consoles and tabs, and this node no longer hears theirs: it closes its
// sockets with "try again later" (1013) and refuses new ones, so clients
// reconnect through the load balancer to a node that hears the cluster,
// and /healthz answers 503 meanwhile. It takes sockets again once NATS is
// back. On one node (memory bus) there is nothing to watch.
type busWatch struct {
	a       *App
	healthy func() error
	every   time.Duration
	ttl     time.Duration

	applyMu sync.Mutex // one apply at a time

	mu        sync.Mutex
	upSince   time.Time // zero while disconnected
	downSince time.Time // zero while connected
	refused   bool
	timer     clock.Timer
	stopped   bool
}

func newBusWatch(a *App) *busWatch {
	w := &busWatch{a: a, ttl: a.cfg.NodeTTL, every: max(a.cfg.NodeTTL/3, 10*time.Millisecond)}
	if b, ok := a.bus.(interface{ Healthy() error }); ok {
		w.healthy = b.Healthy
	}
	return w
}

func (w *busWatch) start() {
	if w.healthy == nil {
		return
	}
	w.check()
}

// check looks at the connection and schedules the next look.
func (w *busWatch) check() {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	changed, _ := w.observeLocked()
	w.timer = w.a.clock.AfterFunc(w.every, w.check)
	w.mu.Unlock()
	if changed {
		w.apply()
	}
}

// err is the bus's health as /healthz reports it, looked at now, so that
// the load balancer and the sockets agree.
func (w *busWatch) err() error {
	if w.healthy == nil {
		return nil
	}
	w.mu.Lock()
	changed, err := w.observeLocked()
	w.mu.Unlock()
	if changed {
		w.apply()
	}
	return err
}

// observeLocked updates the state from the connection as it is now; it
// reports whether the sockets must now be refused or taken again.
func (w *busWatch) observeLocked() (changed bool, err error) {
	now := w.a.clock.Now()
	err = w.healthy()
	switch {
	case err == nil && w.upSince.IsZero():
		w.upSince, w.downSince = now, time.Time{}
		if w.refused {
			w.refused, changed = false, true
			w.a.log.Info("the bus is back: taking sockets again")
		}
	case err != nil && w.downSince.IsZero():
		w.upSince, w.downSince = time.Time{}, now
		w.a.log.Warn("cut off from the other nodes", "err", err)
	case err != nil && !w.refused && now.Sub(w.downSince) >= w.ttl:
		w.refused, changed = true, true
		w.a.log.Error("cut off from the other nodes for longer than --node-ttl: closing this node's sockets so that clients go elsewhere", "err", err)
	}
	return changed, err
}

// apply makes the hub refuse or take sockets as the state now says. It
// runs outside mu (closing sockets calls back into the app), one at a
// time, and reads the latest state, so the last change always wins.
func (w *busWatch) apply() {
	w.applyMu.Lock()
	defer w.applyMu.Unlock()
	w.mu.Lock()
	refused := w.refused
	w.mu.Unlock()
	if refused {
		w.a.hub.Refuse("this node lost its connection to the other nodes")
	} else {
		w.a.hub.Accept()
	}
}

// hears reports whether this node's view of the cluster's presence can be
// trusted for a departure: connected to the bus for a whole --node-ttl, so
// every live node has been heard again since any outage. Graces that run
// out while it cannot be are given again rather than acted on.
func (w *busWatch) hears() bool {
	if w.healthy == nil {
		return true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.healthy() == nil && !w.upSince.IsZero() && w.a.clock.Now().Sub(w.upSince) >= w.ttl
}

func (w *busWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	if w.timer != nil {
		w.timer.Stop()
	}
}
