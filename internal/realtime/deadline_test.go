package realtime

import (
	"testing"
	"time"

	"outputdesk/internal/clock"
)

func TestDeadline(t *testing.T) {
	c := clock.NewFake(t0)
	expired := 0
	newLimit := func() *deadline { return &deadline{clock: c, expire: func() { expired++ }} }
	check := func(step string, want int) {
		t.Helper()
		if expired != want {
			t.Fatalf("%s: expired %d times, want %d", step, expired, want)
		}
	}

	l := newLimit()
	l.extend(10 * time.Second)
	c.Advance(5 * time.Second)
	l.extend(10 * time.Second) // now due at 15 s
	c.Advance(9 * time.Second)
	check("pushed back", 0)
	c.Advance(time.Second)
	check("at the pushed-back limit", 1)
	if !l.expired() {
		t.Fatal("expired() is false after expiring")
	}
	l.extend(10 * time.Second)
	c.Advance(time.Minute)
	check("once only", 1)

	expired = 0
	l = newLimit()
	l.extend(10 * time.Second)
	l.clear()
	c.Advance(time.Minute)
	check("cleared", 0)
	l.extend(10 * time.Second)
	c.Advance(10 * time.Second)
	check("set again after clear", 1)

	expired = 0
	l = newLimit()
	l.extend(time.Minute)
	l.extend(10 * time.Second) // earlier than the pending timer
	c.Advance(10 * time.Second)
	check("brought forward", 1)

	expired = 0
	l = newLimit()
	l.extend(10 * time.Second)
	l.stop()
	l.extend(10 * time.Second)
	c.Advance(time.Minute)
	check("stopped", 0)
	if l.expired() {
		t.Fatal("a stopped limit reports expired")
	}
}
