// Package testwait is when a test's wait gives up. Tests wait for events,
// never for a fixed time; the one bound is go test's -timeout, and a wait
// gives up a margin before it, so a stuck test fails naming what it waited
// for (and can print logs and stop its servers) rather than in the test
// binary's panic. With -timeout 0 there is no deadline: a wait waits for
// ever.
package testwait

import (
	"sync"
	"testing"
	"time"
)

var (
	marginOnce sync.Once
	margin     time.Duration
)

// GiveUpAt is when a wait gives up: a tenth of the run (at most a minute)
// before go test's -timeout. Zero when there is no deadline.
func GiveUpAt(t testing.TB) time.Time {
	d, ok := t.(interface{ Deadline() (time.Time, bool) })
	if !ok {
		return time.Time{}
	}
	deadline, ok := d.Deadline()
	if !ok {
		return time.Time{}
	}
	// Every test of the binary has the same deadline; the first test to ask
	// sees (nearly) the whole run.
	marginOnce.Do(func() { margin = min(time.Until(deadline)/10, time.Minute) })
	return deadline.Add(-margin)
}

// Expiry fires when waiting must give up, and never (a nil channel) when
// there is no deadline; stop releases its timer.
func Expiry(t testing.TB) (expired <-chan time.Time, stop func()) {
	at := GiveUpAt(t)
	if at.IsZero() {
		return nil, func() {}
	}
	timer := time.NewTimer(time.Until(at))
	return timer.C, func() { timer.Stop() }
}
