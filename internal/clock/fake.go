package clock

import (
	"sort"
	"sync"
	"time"
)

// Fake is a clock that moves only when told to. Timers due when Advance moves
// past them run in Advance's goroutine, in deadline order, so a test that
// calls Advance knows every effect of the timers has happened when it returns.
type Fake struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*fakeTimer
}

// NewFake returns a fake clock set to start.
func NewFake(start time.Time) *Fake { return &Fake{now: start} }

func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *Fake) AfterFunc(d time.Duration, fn func()) Timer {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	t := &fakeTimer{clock: f, at: f.now.Add(d), seq: f.seq, fn: fn}
	f.timers = append(f.timers, t)
	return t
}

// Advance moves the clock forward by d, running every timer that falls due.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	end := f.now.Add(d)
	f.mu.Unlock()
	for {
		f.mu.Lock()
		t := f.nextDue(end)
		if t == nil {
			f.now = end
			f.mu.Unlock()
			return
		}
		if t.at.After(f.now) {
			f.now = t.at
		}
		f.remove(t)
		f.mu.Unlock()
		t.fn()
	}
}

func (f *Fake) nextDue(end time.Time) *fakeTimer {
	sort.Slice(f.timers, func(i, j int) bool {
		if f.timers[i].at.Equal(f.timers[j].at) {
			return f.timers[i].seq < f.timers[j].seq
		}
		return f.timers[i].at.Before(f.timers[j].at)
	})
	if len(f.timers) == 0 || f.timers[0].at.After(end) {
		return nil
	}
	return f.timers[0]
}

func (f *Fake) remove(t *fakeTimer) bool {
	for i, x := range f.timers {
		if x == t {
			f.timers = append(f.timers[:i], f.timers[i+1:]...)
			return true
		}
	}
	return false
}

type fakeTimer struct {
	clock *Fake
	at    time.Time
	seq   int
	fn    func()
}

func (t *fakeTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	return t.clock.remove(t)
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	f := t.clock
	f.mu.Lock()
	defer f.mu.Unlock()
	pending := f.remove(t)
	f.seq++
	t.at, t.seq = f.now.Add(d), f.seq
	f.timers = append(f.timers, t)
	return pending
}
