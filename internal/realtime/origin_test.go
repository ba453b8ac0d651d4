package realtime

import (
	"net/http"
	"testing"
)

// A console socket's Origin must be the public URL's scheme, host and
// port; nothing else about the request counts.
func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		origin, public string
		want           bool
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"https://desk.example.com", "https://desk.example.com/", true},
		{"https://desk.example.com", "https://desk.example.com/support/", true},
		{"https://desk.example.com:443", "https://desk.example.com", true},
		{"http://desk.example.com", "http://desk.example.com:80", true},
		{"https://DESK.Example.com", "https://desk.example.com", true},
		{"http://[::1]:8080", "http://[::1]:8080", true},

		{"", "http://127.0.0.1:8080", false},
		{"null", "http://127.0.0.1:8080", false},
		// On the server's machine, loopback names are one server.
		{"http://localhost:8080", "http://127.0.0.1:8080", true},
		{"http://127.0.0.1:8080", "http://localhost:8080", true},
		{"http://[::1]:8080", "http://127.0.0.1:8080", true},
		{"http://localhost:8081", "http://127.0.0.1:8080", false},
		{"https://localhost:8080", "http://127.0.0.1:8080", false},
		{"http://localhost", "http://127.0.0.1:8080", false},
		{"http://localhost:8080", "https://desk.example.com", false},
		{"http://desk.example.com:8080", "http://127.0.0.1:8080", false},
		{"https://127.0.0.1:8080", "http://127.0.0.1:8080", false},
		{"http://127.0.0.1:8081", "http://127.0.0.1:8080", false},
		{"http://127.0.0.1", "http://127.0.0.1:8080", false},
		{"https://desk.example.com:8443", "https://desk.example.com", false},
		{"https://evil.example", "https://desk.example.com", false},
		{"https://desk.example.com.evil.example", "https://desk.example.com", false},
		{"http://desk.example.com", "desk.example.com", false}, // a public URL without a scheme matches nothing
	} {
		if got := sameOrigin(tc.origin, tc.public); got != tc.want {
			t.Errorf("sameOrigin(%q, %q) = %v, want %v", tc.origin, tc.public, got, tc.want)
		}
	}
}

// The console socket compares Origin with the public URL, not with the
// address the request reached, and refuses a request without one.
func TestConsoleSocketOrigin(t *testing.T) {
	s := newTestServer(t)
	own := s.http.URL // the server's own address: not its public URL
	for _, origin := range []string{"", own, "https://" + testConsoleHost, "http://evil.example"} {
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		if code := s.dialPath("/ws/console", h, peerOptions{}).awaitClosed(); code != CloseForbidden {
			t.Errorf("Origin %q: closed with %d, want %d", origin, code, CloseForbidden)
		}
	}
	p := s.dialConsole()
	p.send(map[string]any{"type": "hello"})
	p.nextType("welcome")
}

// The visitor socket refuses a missing Origin when the site names its
// origins, and takes one when it allows any.
func TestVisitorSocketMissingOrigin(t *testing.T) {
	s := newTestServer(t)
	if code := s.dialWith(http.Header{}, peerOptions{}).awaitClosed(); code != CloseForbidden {
		t.Fatalf("no Origin, origins named: closed with %d, want %d", code, CloseForbidden)
	}
	s.svc.mu.Lock()
	s.svc.site.AllowedOrigins = []string{"*"}
	s.svc.mu.Unlock()
	p := s.dialWith(http.Header{}, peerOptions{})
	p.send(map[string]any{"type": "hello", "page": map[string]any{"url": "https://anywhere.example/"}})
	p.nextType("welcome")
}
