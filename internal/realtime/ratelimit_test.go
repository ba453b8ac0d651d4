package realtime

import (
	"testing"
	"time"
)

func TestFrameBucket(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	l := FrameLimit{Rate: 10, Burst: 5, Strikes: 3}
	b := newFrameBucket(l, t0)
	for i := 0; i < 5; i++ {
		if wait, ok := b.take(t0); wait != 0 || !ok {
			t.Fatalf("frame %d of the burst waits %v, ok %v", i+1, wait, ok)
		}
	}
	// Over budget: each frame waits one period more than the last.
	for i, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond} {
		wait, ok := b.take(t0)
		if !ok || wait != want {
			t.Fatalf("over-budget frame %d: wait %v ok %v, want %v", i+1, wait, ok, want)
		}
	}
	if _, ok := b.take(t0); ok {
		t.Fatal("a fourth strike did not close the socket")
	}

	// A client that slows to the rate is never closed; one that pauses
	// long enough to refill starts its strikes over.
	b = newFrameBucket(l, t0)
	now := t0
	for i := 0; i < 1000; i++ {
		now = now.Add(100 * time.Millisecond)
		if wait, ok := b.take(now); wait != 0 || !ok {
			t.Fatalf("a client at the rate waited %v at frame %d (ok %v)", wait, i, ok)
		}
	}
	b = newFrameBucket(l, t0)
	for round := 0; round < 5; round++ {
		for i := 0; i < 5+3; i++ { // the burst and three strikes
			if _, ok := b.take(now); !ok {
				t.Fatalf("round %d: closed at frame %d", round, i+1)
			}
		}
		now = now.Add(2 * time.Second) // the budget fills up again
	}
}
