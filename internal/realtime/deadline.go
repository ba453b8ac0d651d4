package realtime

import (
	"sync"
	"time"

	"outputdesk/internal/clock"
)

// deadline is a socket's time limit on the hub's clock: reading (a peer
// heard from within readTimeout) or writing (a frame out within
// writeTimeout). Pushing it back costs a lock and a clock read, not a
// timer: its one timer, when it fires early, re-arms for what is left. When
// the limit passes, expire runs once.
//
// The limit is on the injected clock rather than a net.Conn deadline (the
// wall clock), so tests drive it; expire then acts on the connection.
type deadline struct {
	clock  clock.Clock
	expire func()

	mu      sync.Mutex
	at      time.Time // zero: no limit now
	timer   clock.Timer
	timerAt time.Time
	gen     int  // the armed timer's generation: a stopped one that still runs does nothing
	done    bool // expired or stopped: nothing more happens
	fired   bool // expired
}

// extend sets the limit to d from now.
func (l *deadline) extend(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return
	}
	l.at = l.clock.Now().Add(d)
	if l.timer != nil && !l.timerAt.After(l.at) {
		return // it fires in time and re-arms for the rest
	}
	l.armLocked(d)
}

// clear lifts the limit; a pending timer finds nothing due.
func (l *deadline) clear() {
	l.mu.Lock()
	l.at = time.Time{}
	l.mu.Unlock()
}

// stop ends the limit for good (the socket has shut down).
func (l *deadline) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
	l.disarmLocked()
}

// expired reports whether the limit has passed and expire has run.
func (l *deadline) expired() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fired
}

// limit is when the limit passes (zero: none); for tests.
func (l *deadline) limit() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.at
}

func (l *deadline) armLocked(d time.Duration) {
	l.disarmLocked()
	l.gen++
	gen := l.gen
	l.timerAt = l.clock.Now().Add(d)
	l.timer = l.clock.AfterFunc(d, func() { l.fire(gen) })
}

func (l *deadline) disarmLocked() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
}

func (l *deadline) fire(gen int) {
	l.mu.Lock()
	if gen != l.gen || l.done {
		l.mu.Unlock()
		return
	}
	l.timer = nil
	if l.at.IsZero() {
		l.mu.Unlock()
		return
	}
	if left := l.at.Sub(l.clock.Now()); left > 0 {
		l.armLocked(left)
		l.mu.Unlock()
		return
	}
	l.done, l.fired = true, true
	l.mu.Unlock()
	l.expire()
}
