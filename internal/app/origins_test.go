package app_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"

	"outputdesk/internal/config"
	"outputdesk/internal/testwait"
)

const shopOrigin = "https://shop.example"

// consoleSocket dials the console socket with o's session and the given
// Origin header ("" for none) and Host header ("" for the server's).
func (o *operator) consoleSocket(origin, host string) *socket {
	o.s.t.Helper()
	u := strings.Replace(o.s.base, "http", "ws", 1) + "/ws/console"
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	if host != "" {
		h.Set("Host", host)
	}
	base, _ := url.Parse(o.s.base)
	for _, ck := range o.http.Jar.Cookies(base) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	return dial(o.s.t, u, h)
}

// visitorSocket dials the visitor socket with the given Origin ("" for
// none) and says hello — unless the server has refused the socket first
// (the client has answered its close frame then, and sends no more).
func (s *server) visitorSocket(origin string) *socket {
	s.t.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	sock := dial(s.t, strings.Replace(s.base, "http", "ws", 1)+"/ws/visitor?site_key="+url.QueryEscape(s.siteKey()), h)
	sock.ws.WriteJSON(map[string]any{"type": "hello", "page": map[string]any{"url": shopOrigin + "/"}})
	return sock
}

// The console socket takes only pages of the public URL (scheme, host and
// port) — by default http:// plus the listen address — whatever Host the
// request names, and never a request without an Origin.
func TestConsoleSocketOrigin(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	host := strings.TrimPrefix(s.base, "http://")
	for _, tc := range []struct {
		name, origin, host string
	}{
		{"no Origin", "", ""},
		{"another site", "https://evil.example", ""},
		{"another site, naming itself as Host", "http://evil.example", "evil.example"},
		{"another scheme", "https://" + host, ""},
		{"another port", "http://127.0.0.1:1", ""},
		{"the literal null", "null", ""},
	} {
		if code := admin.consoleSocket(tc.origin, tc.host).waitClosed(); code != 4403 {
			t.Errorf("%s (Origin %q): closed with %d, want 4403", tc.name, tc.origin, code)
		}
	}
	accepted := admin.consoleSocket(s.base, "")
	accepted.send(map[string]any{"type": "hello"})
	accepted.nextType("welcome")
}

// With --public-url, the console socket takes pages of that URL only, not
// of the address the request reached (a node's own, say).
func TestConsoleSocketOriginIsThePublicURL(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.PublicURL = "https://desk.example.com/" })
	admin := s.firstAdmin()
	for _, origin := range []string{s.base, "http://desk.example.com", "https://desk.example.com:8443", "https://www.desk.example.com"} {
		if code := admin.consoleSocket(origin, "").waitClosed(); code != 4403 {
			t.Errorf("Origin %q: closed with %d, want 4403", origin, code)
		}
	}
	for _, origin := range []string{"https://desk.example.com", "https://DESK.example.com:443"} {
		sock := admin.consoleSocket(origin, "")
		sock.send(map[string]any{"type": "hello"})
		sock.nextType("welcome")
	}
}

// The visitor socket refuses a missing Origin once the site names its
// allowed origins; while it allows any ("*"), a client without one is
// served.
func TestVisitorSocketOrigin(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	s.visitorSocket("").nextType("welcome") // "*", the default
	admin.patchSettings(map[string]any{"allowed_origins": []string{shopOrigin}})
	for _, origin := range []string{"", "https://evil.example", "null"} {
		if code := s.visitorSocket(origin).waitClosed(); code != 4403 {
			t.Errorf("Origin %q: closed with %d, want 4403", origin, code)
		}
	}
	s.visitorSocket(shopOrigin).nextType("welcome")
}

// A refusal's close code reaches every client, also those that had sent a
// frame before it came: 100 raw clients at once send hello from an origin
// the site does not allow, and every one reads 4403 — never 1006, which a
// client sees when the server closes the connection over its unread frame.
func TestRefusalCodeReachesClientsThatSent(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	admin.patchSettings(map[string]any{"allowed_origins": []string{shopOrigin}})
	u := strings.Replace(s.base, "http", "ws", 1) + "/ws/visitor?site_key=" + url.QueryEscape(s.siteKey())
	const n = 100
	got := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = refusedWith(t, s, u)
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, g := range got {
		seen[g]++
	}
	if seen["4403"] != n {
		t.Fatalf("what %d clients saw: %v, want 4403 for all", n, seen)
	}
}

// refusedWith dials u from a foreign origin, sends hello at once, and reads
// until the socket ends: the close code, or the error that ended it.
func refusedWith(t *testing.T, s *server, u string) string {
	var d websocket.Dialer
	ws, _, err := d.DialContext(s.ctx, u, http.Header{"Origin": {"https://evil.example"}})
	if err != nil {
		return "dial: " + err.Error()
	}
	defer ws.Close()
	ws.SetReadDeadline(testwait.GiveUpAt(t)) // zero, no deadline, when the test has none
	if err := ws.WriteJSON(map[string]any{"type": "hello", "page": map[string]any{"url": "https://evil.example/"}}); err != nil {
		return "write: " + err.Error()
	}
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return fmt.Sprint(ce.Code)
			}
			return "read: " + err.Error()
		}
	}
}
