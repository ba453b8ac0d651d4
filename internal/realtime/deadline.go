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
	at       instant // zero: no limit now
	every    time.Duration
	tick     func()
	nextTick instant // zero: no heartbeat
	// timer is made when first armed and reset after: a socket's heartbeat
	// allocates nothing a period. armed says it is pending, for timerAt; a
	// run that finds it otherwise is stale (the timer was reset or stopped
	// after it fired) and does nothing.
	timer   clock.Timer
	timerAt instant
	armed   bool
	done    bool // expired or stopped: nothing more happens
	fired   bool // expired
}

// instant is a time on the socket clock as nanoseconds from epoch, never
// zero: 8 bytes where a time.Time takes 24, three times in each of a
// socket's two deadlines, for every visitor on the site. A real clock's
// times keep their monotonic reading (both sides of Sub have one).
type instant int64

var epoch = time.Now()

func instantOf(t time.Time) instant {
	if d := instant(t.Sub(epoch)); d != 0 {
		return d
	}
	return 1
}

func (i instant) time() time.Time { return epoch.Add(time.Duration(i)) }

// add is i+d, never zero.
func (i instant) add(d time.Duration) instant {
	if r := i + instant(d); r != 0 {
		return r
	}
	return 1
}

// now is the clock's time as an instant.
func (l *deadline) now() instant { return instantOf(l.clock.Now()) }

// extend sets the limit to d from now.
func (l *deadline) extend(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return
	}
	l.at = l.now().add(d)
	if l.armed && l.timerAt <= l.at {
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
	l.at = 0
	if l.nextTick == 0 {
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
	l.nextTick = l.now().add(every)
	if l.armed && l.timerAt <= l.nextTick {
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
	if l.at == 0 {
		return time.Time{}
	}
	return l.at.time()
}

// heartbeat reports whether the limit ticks; for tests.
func (l *deadline) heartbeat() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.nextTick != 0
}

// armLocked sets the timer for the earlier of the limit and the next tick.
func (l *deadline) armLocked() {
	due := l.at
	if l.nextTick != 0 && (due == 0 || l.nextTick < due) {
		due = l.nextTick
	}
	if due == 0 {
		l.disarmLocked()
		return
	}
	if l.armed && l.timerAt == due {
		return
	}
	l.armed, l.timerAt = true, due
	d := time.Duration(due - l.now())
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
	now := l.now()
	if l.done || !l.armed || now < l.timerAt {
		l.mu.Unlock()
		return // stale: reset or stopped since it fired
	}
	l.armed = false
	if l.at != 0 && now >= l.at {
		l.done, l.fired = true, true
		l.mu.Unlock()
		l.expire()
		return
	}
	tick := l.nextTick != 0 && now >= l.nextTick
	if tick {
		l.nextTick = now.add(l.every)
	}
	l.armLocked()
	l.mu.Unlock()
	if tick {
		l.tick()
	}
}
