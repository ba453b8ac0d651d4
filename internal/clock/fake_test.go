package clock

import (
	"testing"
	"time"
)

func TestFakeRunsTimersInDeadlineOrder(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewFake(start)
	var got []string
	var at []time.Duration
	c.AfterFunc(3*time.Second, func() { got = append(got, "c"); at = append(at, c.Now().Sub(start)) })
	c.AfterFunc(1*time.Second, func() { got = append(got, "a"); at = append(at, c.Now().Sub(start)) })
	stopped := c.AfterFunc(2*time.Second, func() { got = append(got, "stopped") })
	if !stopped.Stop() {
		t.Fatal("Stop of a pending timer reported false")
	}
	c.Advance(2 * time.Second)
	if len(got) != 1 || got[0] != "a" || at[0] != time.Second {
		t.Fatalf("after 2s got %v at %v, want [a] at [1s]", got, at)
	}
	c.Advance(5 * time.Second)
	if len(got) != 2 || got[1] != "c" || at[1] != 3*time.Second {
		t.Fatalf("after 7s got %v at %v", got, at)
	}
	if c.Now().Sub(start) != 7*time.Second {
		t.Fatalf("now = %v, want start+7s", c.Now().Sub(start))
	}
}

func TestFakeTimerArmedByTimerRunsInSameAdvance(t *testing.T) {
	c := NewFake(time.Unix(0, 0))
	n := 0
	var again func()
	again = func() {
		n++
		if n < 3 {
			c.AfterFunc(time.Second, again)
		}
	}
	c.AfterFunc(time.Second, again)
	c.Advance(10 * time.Second)
	if n != 3 {
		t.Fatalf("chained timers ran %d times, want 3", n)
	}
}

func TestFakeReset(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewFake(start)
	var at []time.Duration
	tm := c.AfterFunc(time.Second, func() { at = append(at, c.Now().Sub(start)) })
	if !tm.Reset(3 * time.Second) {
		t.Fatal("Reset of a pending timer reported false")
	}
	c.Advance(2 * time.Second)
	if len(at) != 0 {
		t.Fatalf("ran at %v: Reset did not move it", at)
	}
	c.Advance(time.Second)
	if tm.Reset(2*time.Second) || len(at) != 1 || at[0] != 3*time.Second {
		t.Fatalf("ran at %v; Reset after it ran must report false and run it again", at)
	}
	c.Advance(5 * time.Second)
	if len(at) != 2 || at[1] != 5*time.Second {
		t.Fatalf("ran at %v, want [3s 5s]", at)
	}
}
