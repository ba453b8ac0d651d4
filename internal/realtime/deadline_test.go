package realtime

import (
	"testing"
	"time"

	"outputdesk/internal/clock"
)

// timedCount counts what the limits tell a socket.
type timedCount struct {
	expired [2]int
	ticks   int
}

func (t *timedCount) expire(which timeLimit) { t.expired[which]++ }
func (t *timedCount) tick()                  { t.ticks++ }

func TestLimits(t *testing.T) {
	c := clock.NewFake(t0)
	var got *timedCount
	newLimits := func() *limits { got = &timedCount{}; return &limits{clock: c, on: got} }
	check := func(step string, read, write int) {
		t.Helper()
		if got.expired != [2]int{read, write} {
			t.Fatalf("%s: expired (read, write) %v, want [%d %d]", step, got.expired, read, write)
		}
	}

	l := newLimits()
	l.extend(readLimit, 10*time.Second)
	c.Advance(5 * time.Second)
	l.extend(readLimit, 10*time.Second) // now due at 15 s
	c.Advance(9 * time.Second)
	check("pushed back", 0, 0)
	c.Advance(time.Second)
	check("at the pushed-back limit", 1, 0)
	if !l.expired(readLimit) || l.expired(writeLimit) {
		t.Fatal("expired() does not say which limit passed")
	}
	l.extend(readLimit, 10*time.Second)
	l.extend(writeLimit, 10*time.Second)
	c.Advance(time.Minute)
	check("once only, and nothing after", 1, 0)

	l = newLimits()
	l.extend(writeLimit, 10*time.Second)
	l.clear(writeLimit)
	c.Advance(time.Minute)
	check("cleared", 0, 0)
	l.extend(writeLimit, 10*time.Second)
	c.Advance(10 * time.Second)
	check("set again after clear", 0, 1)

	l = newLimits()
	l.extend(readLimit, time.Minute)
	l.extend(readLimit, 10*time.Second) // earlier than the pending timer
	c.Advance(10 * time.Second)
	check("brought forward", 1, 0)

	l = newLimits()
	l.extend(readLimit, 10*time.Second)
	l.stop()
	l.extend(readLimit, 10*time.Second)
	c.Advance(time.Minute)
	check("stopped", 0, 0)
	if l.expired(readLimit) {
		t.Fatal("a stopped limit reports expired")
	}
}

// The heartbeat, the read limit and a write limit share one timer: a write
// limit set and cleared between ticks changes neither the ticks nor the
// read limit, and the write limit passes on its own.
func TestLimitsShareOneTimer(t *testing.T) {
	c := clock.NewFake(t0)
	got := &timedCount{}
	l := &limits{clock: c, on: got}
	l.extend(readLimit, time.Minute)
	l.ticking(25 * time.Second)
	c.Advance(20 * time.Second)
	l.extend(writeLimit, 10*time.Second) // due at 30 s, after the tick at 25 s
	c.Advance(5 * time.Second)
	if got.ticks != 1 {
		t.Fatalf("%d ticks at 25 s, want 1", got.ticks)
	}
	l.clear(writeLimit)
	c.Advance(24 * time.Second) // 49 s
	if got.ticks != 1 || got.expired != [2]int{} {
		t.Fatalf("at 49 s: %d ticks, expired %v; want 1 tick, none expired", got.ticks, got.expired)
	}
	c.Advance(time.Second) // 50 s: the second tick
	if got.ticks != 2 {
		t.Fatalf("%d ticks at 50 s, want 2", got.ticks)
	}
	l.extend(writeLimit, 5*time.Second) // due at 55 s, before the read limit at 60 s
	c.Advance(5 * time.Second)
	if got.expired != [2]int{0, 1} {
		t.Fatalf("expired %v at 55 s, want the write limit only", got.expired)
	}
	c.Advance(time.Minute)
	if got.ticks != 2 || got.expired != [2]int{0, 1} {
		t.Fatalf("after the write limit passed: %d ticks, expired %v; want nothing more", got.ticks, got.expired)
	}
}
