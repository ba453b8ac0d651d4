package storetest

import (
	"sync"
	"testing"
	"time"

	"outputdesk/internal/store"
)

// The race tests pause two store operations at their worst point — inside
// the decision, after the store has read (and, on a locking store, held)
// what the decision needs and before anything is written — and release
// them in both orders. They wait on events only: an operation reaching its
// pause point, an operation ending, or the store saying (store.Waits) that
// a transaction is held up behind another. The only bound is the test's
// own deadline, so a busy machine slows them down but cannot fail them.

// racer is one side of a race: run performs one store operation and calls
// pause at the operation's worst point. Results are kept by run's closure;
// they are read only after the operation has ended.
type racer struct {
	name string
	run  func(pause func())
}

// running is a racer started in its own goroutine.
type running struct {
	name    string
	paused  chan struct{} // closed when run first reaches pause
	release chan struct{} // closed to let run go on
	done    chan struct{} // closed when run has returned
	paused1 sync.Once
	let1    sync.Once
}

func start(r racer) *running {
	x := &running{name: r.name, paused: make(chan struct{}), release: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(x.done)
		r.run(x.pause)
	}()
	return x
}

// pause stops the operation until it is released. A decision a store calls
// again (a retry after release) goes straight through.
func (x *running) pause() {
	x.paused1.Do(func() { close(x.paused) })
	<-x.release
}

func (x *running) let() { x.let1.Do(func() { close(x.release) }) }

// raceOutcome is how the second operation met the first.
type raceOutcome int

const (
	bothRead raceOutcome = iota // the store let both read at once
	heldUp                      // the store held the second behind the first
	refused                     // the second ended without reaching its pause
)

func (o raceOutcome) String() string {
	return [...]string{"both read at once", "held up behind the first", "ended without pausing"}[o]
}

// race runs first until it is paused, then second until it is paused too or
// the store reports it held up, then lets first through before second goes
// on. So first's decision is always applied first: on a store that held
// second, second decides on what first wrote; on one that let both read,
// second's decision is stale and the store must not apply it as it stands.
// Running every pair in both orders (inBothOrders) covers both commits
// first. The test then checks the outcome that order calls for.
func (f *fixture) race(first, second racer) raceOutcome {
	t := f.t
	t.Helper()
	w, ok := f.s.(store.Waits)
	if !ok {
		t.Fatalf("%T does not implement store.Waits: the race suite needs to know when a transaction is held up", f.s)
	}
	a := f.launch(first)
	if !f.await(a, "to reach its pause point", nil) {
		t.Fatalf("%s ended without reaching its pause point", first.name)
	}
	if n := w.Waiting(); n != 0 {
		t.Fatalf("%d transactions wait while only %s runs, paused: Waiting() does not count what it should", n, first.name)
	}
	b := f.launch(second)
	outcome := refused
	if f.await(b, "to pause or be held up", func() bool { return w.Waiting() > 0 }) {
		outcome = bothRead
		select {
		case <-b.paused:
		default:
			outcome = heldUp
		}
	}
	t.Logf("%s paused; %s %s", first.name, second.name, outcome)
	// Strictly first, then second: releasing second as soon as it pauses
	// would let it read beside first wherever Waiting counted it before
	// it was really held, and the order under test would be lost. One
	// exception: a store that commits waiting changes together (SQLite's
	// group commit) runs second's decision after first's is applied, in
	// the same transaction, and ends first only at that commit — so a
	// held second that pauses before first ends is let go too.
	a.let()
	if outcome == heldUp {
		f.waitForEither(first.name+" to end, or "+second.name+" to decide in its commit", a.done, b.paused)
		b.let()
	}
	f.waitFor(first.name+" to end before "+second.name+" goes on", a.done)
	b.let()
	f.waitFor(second.name+" to end", b.done)
	return outcome
}

// launch starts r and makes sure it is released and has ended before
// the test's store is closed, whatever the test's fate.
func (f *fixture) launch(r racer) *running {
	x := start(r)
	f.t.Cleanup(func() {
		x.let()
		f.waitFor(x.name+" to end after the test", x.done)
	})
	return x
}

// await waits until x reaches its pause point or held reports true (then it
// returns true), or x ends first (false).
func (f *fixture) await(x *running, what string, held func() bool) bool {
	f.t.Helper()
	for {
		select {
		case <-x.paused:
			return true
		case <-x.done:
			return false
		default:
		}
		if held != nil && held() {
			return true
		}
		f.tick(x.name + " " + what)
	}
}

// waitFor waits until done is closed.
func (f *fixture) waitFor(what string, done <-chan struct{}) {
	f.t.Helper()
	for {
		select {
		case <-done:
			return
		default:
		}
		f.tick(what)
	}
}

// waitForEither waits until one of x and y is closed.
func (f *fixture) waitForEither(what string, x, y <-chan struct{}) {
	f.t.Helper()
	for {
		select {
		case <-x:
			return
		case <-y:
			return
		default:
		}
		f.tick(what)
	}
}

// tick yields briefly between polls, and fails the test while it still
// has time to report, rather than let the test binary's timeout kill it.
func (f *fixture) tick(what string) {
	f.t.Helper()
	if deadline, ok := f.t.Deadline(); ok && time.Until(deadline) < deadlineMargin {
		f.t.Fatalf("still waiting for %s as the test's deadline nears: the operations are stuck", what)
	}
	time.Sleep(200 * time.Microsecond)
}

// deadlineMargin is the time kept back from the test's deadline to fail
// with a message and clean up.
const deadlineMargin = 10 * time.Second

// inBothOrders runs a race twice, as subtests: once with a started first,
// once with b. Each run sets up its own records on the same store, so
// setup makes what it needs fresh (new chats, new operators).
func (f *fixture) inBothOrders(a, b string, run func(f *fixture, aFirst bool)) {
	for _, aFirst := range []bool{true, false} {
		name := a + " first"
		if !aFirst {
			name = b + " first"
		}
		g := *f
		f.t.Run(name, func(t *testing.T) {
			g.t = t
			run(&g, aFirst)
		})
		f.n = g.n // keeps emails and visitor tokens unique across runs
	}
}

// inOrder returns a and b in the order a run starts them: first, second.
// The first started is the first applied, so it is also the winner's.
func inOrder[T any](aFirst bool, a, b T) (T, T) {
	if aFirst {
		return a, b
	}
	return b, a
}
