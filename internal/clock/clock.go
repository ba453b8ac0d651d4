// Package clock is the one source of time for every timer in Output Desk.
// Production code uses Real; tests use Fake and move time themselves, so no
// test ever sleeps to wait for a timeout.
package clock

import "time"

// Clock tells the time and runs functions later.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine (Real) or in the goroutine that
	// advances the clock (Fake) once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop prevents the call if it has not run yet; it reports whether it did.
	Stop() bool
	// Reset makes the timer call its function again d from now, whether
	// it ran, was stopped or is pending; it reports whether it was
	// pending. A timer reset for every period allocates nothing.
	Reset(d time.Duration) bool
}

// Real is the wall clock.
type Real struct{}

func (Real) Now() time.Time { return time.Now() }

func (Real) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
