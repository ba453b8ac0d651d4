package testwait

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// Log is a log that tests read while it is written (a server's slog
// handler, a process's stderr) and can wait on: Await checks again at each
// write, so a line is the event a test waits for.
type Log struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{}
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case l.wroteLocked() <- struct{}{}:
	default:
	}
	return l.buf.Write(p)
}

func (l *Log) wroteLocked() chan struct{} {
	if l.wrote == nil {
		l.wrote = make(chan struct{}, 1)
	}
	return l.wrote
}

// String is everything written so far.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Has reports whether a line written so far contains s.
func (l *Log) Has(s string) bool { return strings.Contains(l.String(), s) }

// Await returns once the log contains s, failing t before go test's
// -timeout with the log so far.
func (l *Log) Await(t testing.TB, s string) {
	t.Helper()
	expired, stop := Expiry(t)
	defer stop()
	for {
		l.mu.Lock()
		found, wrote := strings.Contains(l.buf.String(), s), l.wroteLocked()
		l.mu.Unlock()
		if found {
			return
		}
		select {
		case <-wrote:
		case <-expired:
			t.Fatalf("gave up waiting for %q in the log:\n%s", s, l.String())
		}
	}
}
