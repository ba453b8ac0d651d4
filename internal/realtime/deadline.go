package realtime

import (
	"sync"
	"time"

	"outputdesk/internal/clock"
)

// limits are a socket's time limits on the hub's clock, all on one timer:
// reading (the peer heard from — a frame, a pong — within readTimeout),
// writing (the frame being written out within writeTimeout), and the
// heartbeat (a ping every period). Pushing a limit back costs a lock and a
// clock read, not a timer: the timer, when it fires early, re-arms for
// what is left. When a limit passes, the socket is told once (expire) and
// nothing more happens: the socket is ending.
//
// One timer for all three, made once and reset after, because every
// visitor on the site holds a socket all day: an idle socket then costs one
// timer and one wake-up a period (the ping), and a ping's write limit moves
// that timer rather than making one.
//
// The limits are on the injected clock rather than net.Conn deadlines (the
// wall clock), so tests drive them; expire then acts on the connection.
type limits struct {
	clock clock.Clock
	on    timed

	mu       sync.Mutex
	at       [2]instant // by limit; zero: none now
	every    time.Duration
	nextTick instant // zero: no heartbeat
	// armed says the timer is pending, for timerAt; a run that finds it
	// otherwise is stale (the timer was reset or stopped after it fired)
	// and does nothing.
	timer   clock.Timer
	timerAt instant
	armed   bool
	done    bool // a limit passed, or stopped: nothing more happens
	passed  [2]bool
}

// timeLimit names one of a socket's time limits.
type timeLimit uint8

const (
	readLimit timeLimit = iota
	writeLimit
)

// timed is the socket the limits belong to.
type timed interface {
	expire(timeLimit) // the limit passed
	tick()            // a heartbeat period passed
}

// instant is a time on the socket clock as nanoseconds from epoch, never
// zero: 8 bytes where a time.Time takes 24, for every visitor on the site.
// A real clock's times keep their monotonic reading (both sides of Sub
// have one).
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
func (l *limits) now() instant { return instantOf(l.clock.Now()) }

// extend sets limit which to d from now.
func (l *limits) extend(which timeLimit, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return
	}
	l.at[which] = l.now().add(d)
	if l.armed && l.timerAt <= l.at[which] {
		return // it fires in time and re-arms for the rest
	}
	l.armLocked()
}

// clear lifts limit which. A timer armed for it alone is moved to what is
// left, so a socket that has written its frames has no wake-up for them.
func (l *limits) clear(which timeLimit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done || l.at[which] == 0 {
		return
	}
	at := l.at[which]
	l.at[which] = 0
	if l.armed && l.timerAt == at {
		l.armLocked()
	}
}

// ticking calls the socket's tick every period from now on, until a limit
// passes or stop.
func (l *limits) ticking(every time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return
	}
	l.every = every
	l.nextTick = l.now().add(every)
	if l.armed && l.timerAt <= l.nextTick {
		return
	}
	l.armLocked()
}

// stop ends the limits for good (the socket has shut down).
func (l *limits) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
	l.disarmLocked()
}

// expired reports whether limit which has passed and the socket was told.
func (l *limits) expired(which timeLimit) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.passed[which]
}

// when is when limit which passes (zero: none); for tests.
func (l *limits) when(which timeLimit) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.at[which] == 0 {
		return time.Time{}
	}
	return l.at[which].time()
}

// heartbeat reports whether the limits tick; for tests.
func (l *limits) heartbeat() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.nextTick != 0
}

// armLocked sets the timer for the earliest of the limits and the next tick.
func (l *limits) armLocked() {
	var due instant
	for _, at := range [...]instant{l.at[readLimit], l.at[writeLimit], l.nextTick} {
		if at != 0 && (due == 0 || at < due) {
			due = at
		}
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

func (l *limits) disarmLocked() {
	if l.armed {
		l.timer.Stop()
		l.armed = false
	}
}

func (l *limits) fire() {
	l.mu.Lock()
	now := l.now()
	if l.done || !l.armed || now < l.timerAt {
		l.mu.Unlock()
		return // stale: reset or stopped since it fired
	}
	l.armed = false
	for _, which := range [...]timeLimit{writeLimit, readLimit} {
		if at := l.at[which]; at != 0 && now >= at {
			l.done, l.passed[which] = true, true
			l.mu.Unlock()
			l.on.expire(which)
			return
		}
	}
	tick := l.nextTick != 0 && now >= l.nextTick
	if tick {
		l.nextTick = now.add(l.every)
	}
	l.armLocked()
	l.mu.Unlock()
	if tick {
		l.on.tick()
	}
}
