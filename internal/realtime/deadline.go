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
// A read limit also carries the socket's heartbeat (tickEvery): the same
// timer runs tick every period until the limit passes. An idle socket then
// costs one timer and one wake-up a period — the ping — since each pong
// pushes the limit past the next ping.
//
// The limit is on the injected clock rather than a net.Conn deadline (the
// wall clock), so tests drive it; expire then acts on the connection.
type deadline struct {
	clock  clock.Clock
	expire func()

	mu       sync.Mutex
	at       time.Time // zero: no limit now
	every    time.Duration
	tick     func()
	nextTick time.Time // zero: no heartbeat
	// timer is made when first armed and reset after: a socket's heartbeat
	// allocates nothing a period. armed says it is pending, for timerAt; a
	// run that finds it otherwise is stale (the timer was reset or stopped
	// after it fired) and does nothing.
	timer   clock.Timer
	armed   bool
	timerAt time.Time
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
	if l.armed && !l.timerAt.After(l.at) {
		return // it fires in time and re-arms for the rest
	}
	l.armLocked()
}

// clear lifts the limit. Its timer goes too, unless the heartbeat needs
// it: a write limit, set and cleared around every burst of frames, leaves
// nothing to wake up for later, and an idle socket keeps no timer for it.
func (l *deadline) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.at = time.Time{}
	if l.nextTick.IsZero() {
		l.disarmLocked()
		l.timer = nil
	}
}

// ticking runs tick every period from now on, until the limit passes or
// stop.
func (l *deadline) ticking(every time.Duration, tick func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return
	}
	l.every, l.tick = every, tick
	l.nextTick = l.clock.Now().Add(every)
	if l.armed && !l.timerAt.After(l.nextTick) {
		return
	}
	l.armLocked()
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

// heartbeat reports whether the limit ticks; for tests.
func (l *deadline) heartbeat() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.nextTick.IsZero()
}

// armLocked sets the timer for the earlier of the limit and the next tick.
func (l *deadline) armLocked() {
	due := l.at
	if !l.nextTick.IsZero() && (due.IsZero() || l.nextTick.Before(due)) {
		due = l.nextTick
	}
	if due.IsZero() {
		l.disarmLocked()
		return
	}
	if l.armed && l.timerAt.Equal(due) {
		return
	}
	l.armed, l.timerAt = true, due
	d := due.Sub(l.clock.Now())
	if l.timer == nil {
		l.timer = l.clock.AfterFunc(d, l.fire)
	} else {
		l.timer.Reset(d)
	}
}

func (l *deadline) disarmLocked() {
	if l.armed {
		l.timer.Stop()
		l.armed = false
	}
}

func (l *deadline) fire() {
	l.mu.Lock()
	now := l.clock.Now()
	if l.done || !l.armed || now.Before(l.timerAt) {
		l.mu.Unlock()
		return // stale: reset or stopped since it fired
	}
	l.armed = false
	if !l.at.IsZero() && !now.Before(l.at) {
		l.done, l.fired = true, true
		l.mu.Unlock()
		l.expire()
		return
	}
	tick := !l.nextTick.IsZero() && !now.Before(l.nextTick)
	if tick {
		l.nextTick = now.Add(l.every)
	}
	l.armLocked()
	l.mu.Unlock()
	if tick {
		l.tick()
	}
}
