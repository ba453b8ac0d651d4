package app_test

// How the tests wait. A test waits for the event it needs, never for a
// fixed time: CI runs on two shared cores that may be busy, and there a
// frame can take any time to come (under -race, a test that takes 2 s on an
// idle machine has taken 36). The one bound on every wait is go test's
// -timeout (t.Deadline). A wait gives up a margin before it, so a stuck test
// fails naming what it waited for, rather than in the test binary's panic;
// with -timeout 0 there is no deadline and a wait waits for ever.

import (
	"context"
	"testing"

	"outputdesk/internal/testwait"
)

// waitContext ends when waiting must give up (never without a deadline);
// requests and dials made with it wait for their answer until then.
func waitContext(t *testing.T) context.Context {
	ctx, cancel := context.Background(), context.CancelFunc(func() {})
	if at := testwait.GiveUpAt(t); !at.IsZero() {
		ctx, cancel = context.WithDeadline(ctx, at)
	}
	t.Cleanup(cancel)
	return ctx
}

// gaveUp is the failure of a wait that reached the deadline.
func gaveUp(t *testing.T, what string) string { return testwait.GaveUp(t, what) }

// await waits for done to close.
func await(t *testing.T, what string, done <-chan struct{}) {
	t.Helper()
	testwait.Await(t, what, done)
}

// waitFor polls a condition the test cannot be told about (the server's own
// bookkeeping) until it holds; it has no deadline of its own.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testwait.Until(t, what, cond)
}
