// Package bustest is the one conformance suite every Bus must pass. Buses
// may deliver asynchronously, so the suite waits for deliveries, bounded
// only by go test's -timeout; it never waits out a time to show that
// something was not delivered, but publishes a marker payload after it and
// waits for the marker instead.
package bustest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/bus"
)

// Factory prepares what one test's nodes share — one Memory bus, or a NATS
// server under a subject prefix of the test's own, so that tests against a
// shared server do not hear each other — and returns how to open a node on
// it. Each call of node opens one more node: another connection for NATS;
// Memory may return its one bus every time, as one process is one node. The
// factory closes what it opened when the test ends.
type Factory func(t *testing.T) (node func() bus.Bus)

// Run runs the whole suite.
func Run(t *testing.T, open Factory) {
	t.Run("DeliversToEverySubscriber", func(t *testing.T) { testFanOut(t, open) })
	t.Run("SubjectsAreSeparate", func(t *testing.T) { testSubjects(t, open) })
	t.Run("OrderPerPublisher", func(t *testing.T) { testOrder(t, open) })
	t.Run("Unsubscribe", func(t *testing.T) { testUnsubscribe(t, open) })
	t.Run("ConcurrentPublishers", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("Closed", func(t *testing.T) { testClosed(t, open) })
	runNodes(t, open)
}

// Waits are for events, never for a fixed time: on a busy machine (shared
// CI cores, -race) a delivery may take any time to come. The one bound is go
// test's -timeout (t.Deadline). A wait gives up a margin before it, so that a
// stuck test fails naming what it waited for rather than in the test
// binary's panic; with no deadline (-timeout 0) a wait waits for ever.
var (
	marginOnce sync.Once
	margin     time.Duration
)

// giveUpAt is when a wait gives up: a tenth of the run, at most a minute,
// before the deadline; zero when there is none.
func giveUpAt(t *testing.T) time.Time {
	deadline, ok := t.Deadline()
	if !ok {
		return time.Time{}
	}
	// Every test of the binary has the same deadline; the first test to ask
	// sees (nearly) the whole run.
	marginOnce.Do(func() { margin = min(time.Until(deadline)/10, time.Minute) })
	return deadline.Add(-margin)
}

type recorder struct {
	subject string // set by subscribe, for failure messages
	mu      sync.Mutex
	got     []string
	more    chan struct{}
}

func newRecorder() *recorder { return &recorder{more: make(chan struct{}, 1<<16)} }

func (r *recorder) handle(b []byte) {
	r.mu.Lock()
	r.got = append(r.got, string(b))
	r.mu.Unlock()
	r.more <- struct{}{}
}

// waitFor waits until n payloads have arrived and returns them.
func (r *recorder) waitFor(t *testing.T, n int) []string {
	t.Helper()
	var expired <-chan time.Time // nil, never ready, without a deadline
	if at := giveUpAt(t); !at.IsZero() {
		timer := time.NewTimer(time.Until(at))
		defer timer.Stop()
		expired = timer.C
	}
	for {
		r.mu.Lock()
		if len(r.got) >= n {
			out := append([]string(nil), r.got...)
			r.mu.Unlock()
			return out
		}
		r.mu.Unlock()
		select {
		case <-r.more:
		case <-expired:
			r.mu.Lock()
			defer r.mu.Unlock()
			deadline, _ := t.Deadline()
			t.Fatalf("gave up waiting for %d payloads on %s: go test's -timeout ends at %s, %v from now; got %d: %v",
				n, r.subject, deadline.Format(time.TimeOnly), time.Until(deadline).Round(time.Second), len(r.got), r.got)
		}
	}
}

func subscribe(t *testing.T, b bus.Bus, subject string, r *recorder) bus.Subscription {
	t.Helper()
	r.subject = subject
	s, err := b.Subscribe(subject, r.handle)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func publish(t *testing.T, b bus.Bus, subject, payload string) {
	t.Helper()
	if err := b.Publish(context.Background(), subject, []byte(payload)); err != nil {
		t.Fatal(err)
	}
}

func testFanOut(t *testing.T, open Factory) {
	b := open(t)()
	r1, r2 := newRecorder(), newRecorder()
	subscribe(t, b, "od.test.a", r1)
	subscribe(t, b, "od.test.a", r2)
	publish(t, b, "od.test.a", "hello")
	if got := r1.waitFor(t, 1); got[0] != "hello" {
		t.Fatalf("first subscriber got %v", got)
	}
	if got := r2.waitFor(t, 1); got[0] != "hello" {
		t.Fatalf("second subscriber got %v", got)
	}
}

func testSubjects(t *testing.T, open Factory) {
	b := open(t)()
	ra, rb := newRecorder(), newRecorder()
	subscribe(t, b, "od.test.a", ra)
	subscribe(t, b, "od.test.b", rb)
	publish(t, b, "od.test.a", "for-a")
	publish(t, b, "od.test.b", "for-b")
	if got := rb.waitFor(t, 1); len(got) != 1 || got[0] != "for-b" {
		t.Fatalf("b got %v", got)
	}
	if got := ra.waitFor(t, 1); len(got) != 1 || got[0] != "for-a" {
		t.Fatalf("a got %v", got)
	}
}

func testOrder(t *testing.T, open Factory) {
	b := open(t)()
	r := newRecorder()
	subscribe(t, b, "od.test.order", r)
	const n = 500
	for i := 0; i < n; i++ {
		publish(t, b, "od.test.order", fmt.Sprint(i))
	}
	got := r.waitFor(t, n)
	for i, s := range got {
		if s != fmt.Sprint(i) {
			t.Fatalf("payload %d is %q: out of order", i, s)
		}
	}
}

func testUnsubscribe(t *testing.T, open Factory) {
	b := open(t)()
	gone, stays := newRecorder(), newRecorder()
	s := subscribe(t, b, "od.test.unsub", gone)
	subscribe(t, b, "od.test.unsub", stays)
	publish(t, b, "od.test.unsub", "1")
	gone.waitFor(t, 1)
	stays.waitFor(t, 1)
	if err := s.Unsubscribe(); err != nil {
		t.Fatal(err)
	}
	publish(t, b, "od.test.unsub", "2")
	publish(t, b, "od.test.unsub", "marker")
	stays.waitFor(t, 3) // once the marker reached the other subscriber, "2" has been dispatched
	gone.mu.Lock()
	defer gone.mu.Unlock()
	if len(gone.got) != 1 {
		t.Fatalf("unsubscribed handler got %v", gone.got)
	}
}

func testConcurrent(t *testing.T, open Factory) {
	b := open(t)()
	r := newRecorder()
	subscribe(t, b, "od.test.concurrent", r)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				if err := b.Publish(context.Background(), "od.test.concurrent", []byte(fmt.Sprintf("%d-%d", g, i))); err != nil {
					t.Error(err)
				}
			}
		}(g)
	}
	wg.Wait()
	got := r.waitFor(t, 800)
	seen := map[string]bool{}
	for _, s := range got {
		if seen[s] {
			t.Fatalf("%s delivered twice", s)
		}
		seen[s] = true
	}
}

func testClosed(t *testing.T, open Factory) {
	b := open(t)()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(context.Background(), "od.test.a", []byte("late")); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("Publish after Close: %v, want ErrClosed", err)
	}
	if _, err := b.Subscribe("od.test.a", func([]byte) {}); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("Subscribe after Close: %v, want ErrClosed", err)
	}
}
