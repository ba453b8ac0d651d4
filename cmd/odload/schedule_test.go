package main

import (
	"context"
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	t0 := time.Unix(100, 0)
	s := schedule{start: t0, dur: 2 * time.Second, rate: 4}
	if s.total() != 8 {
		t.Fatalf("total = %d, want 8", s.total())
	}
	for _, c := range []struct {
		after time.Duration
		want  int
	}{{-time.Millisecond, 0}, {0, 1}, {249 * time.Millisecond, 1}, {250 * time.Millisecond, 2}, {time.Second, 5}, {10 * time.Second, 8}} {
		if got := s.due(t0.Add(c.after)); got != c.want {
			t.Errorf("due(+%v) = %d, want %d", c.after, got, c.want)
		}
	}
	if got := s.at(3); !got.Equal(t0.Add(750 * time.Millisecond)) {
		t.Errorf("at(3) = %v", got)
	}
	if n := (schedule{dur: 30 * time.Second, rate: 0.5}).total(); n != 15 {
		t.Errorf("a slow rate holds %d events, want 15", n)
	}
}

// TestScheduleRun fires every event once and in order, and catches up at
// once on events whose time has passed.
func TestScheduleRun(t *testing.T) {
	s := schedule{start: time.Now().Add(-time.Second), dur: 1100 * time.Millisecond, rate: 100}
	var got []int
	lag := s.run(context.Background(), func(k int) { got = append(got, k) })
	if len(got) != 110 {
		t.Fatalf("fired %d events, want 110", len(got))
	}
	for i, k := range got {
		if k != i {
			t.Fatalf("event %d fired as %d", i, k)
		}
	}
	if lag < 900*time.Millisecond {
		t.Errorf("maxLag = %v; the first batch was a second late", lag)
	}
}

func TestMsgPlan(t *testing.T) {
	want := []struct {
		chat        int
		fromVisitor bool
	}{{0, true}, {1, true}, {2, true}, {0, false}, {1, false}, {2, false}, {0, true}}
	for k, w := range want {
		if c, v := msgPlan(k, 3); c != w.chat || v != w.fromVisitor {
			t.Errorf("msgPlan(%d, 3) = %d, %v; want %d, %v", k, c, v, w.chat, w.fromVisitor)
		}
	}
}
