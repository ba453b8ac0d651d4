package testwait

import (
	"fmt"
	"testing"
	"time"
)

// Await waits for done to close, failing the test if it gives up first.
func Await(t testing.TB, what string, done <-chan struct{}) {
	t.Helper()
	expired, stop := Expiry(t)
	defer stop()
	select {
	case <-done:
	case <-expired:
		t.Fatal(GaveUp(t, what))
	}
}

// Until polls cond, for state a test cannot be told about (a server's own
// bookkeeping), until it holds; it fails the test if it gives up first.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	expired, stop := Expiry(t)
	defer stop()
	poll := time.NewTicker(time.Millisecond)
	defer poll.Stop()
	for !cond() {
		select {
		case <-poll.C:
		case <-expired:
			t.Fatal(GaveUp(t, what))
		}
	}
}

// GaveUp says what a wait gave up on, and when go test's -timeout ends.
func GaveUp(t testing.TB, what string) string {
	at := GiveUpAt(t)
	if at.IsZero() {
		return "gave up waiting for " + what
	}
	d, _ := t.(interface{ Deadline() (time.Time, bool) }).Deadline()
	return fmt.Sprintf("gave up waiting for %s: go test's -timeout ends at %s, %v from now",
		what, d.Format(time.TimeOnly), time.Until(d).Round(time.Second))
}
