package app_test

import (
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"outputdesk/web"
)

// rawClient talks to the server as a browser's network stack does, minus
// the browser: no transparent gzip (Go's client would ask for gzip and undo
// it), no following of redirects.
func rawClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetch sends method path with the given header pairs and returns the
// answer with its body as it came over the wire.
func (s *server) fetch(c *http.Client, method, path string, header ...string) (*http.Response, []byte) {
	s.t.Helper()
	req, _ := http.NewRequestWithContext(s.ctx, method, s.base+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		if s.ctx.Err() != nil {
			s.t.Fatal(gaveUp(s.t, "the answer to "+method+" "+path))
		}
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, body
}

// consoleAssets are the console's hashed script and stylesheet, by URL path.
func consoleAssets(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"dist/console/assets/*.js", "dist/console/assets/*.css"} {
		names, _ := fs.Glob(web.Files, pattern)
		if len(names) != 1 {
			t.Fatalf("%s: %v, want one file (run make web)", pattern, names)
		}
		out = append(out, strings.TrimPrefix(names[0], "dist"))
	}
	return out
}

// Console pages carry a strict CSP and may not be framed or sniffed; the
// widget's files carry what embedding needs (nosniff, CORP cross-origin)
// and nothing that would stop a customer's page from using them.
func TestSecurityHeaders(t *testing.T) {
	s := startServer(t)
	c := rawClient(t)

	console := append([]string{"/", "/console/", "/console/visitors", "/console/assets/missing.js", "/favicon.svg"}, consoleAssets(t)...)
	for _, path := range console {
		for _, encoding := range []string{"", "br"} {
			res, _ := s.fetch(c, "GET", path, "Accept-Encoding", encoding)
			h := res.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s (Accept-Encoding %q): CSP %q lacks %s", path, encoding, csp, want)
				}
			}
			for _, never := range []string{"unsafe-inline", "unsafe-eval", "*"} {
				if strings.Contains(csp, never) {
					t.Errorf("%s: CSP %q allows %s", path, csp, never)
				}
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options":       "nosniff",
				"X-Frame-Options":              "DENY",
				"Referrer-Policy":              "same-origin",
				"Cross-Origin-Opener-Policy":   "same-origin",
				"Cross-Origin-Resource-Policy": "same-origin",
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s: %s %q, want %q", path, name, got, want)
				}
			}
		}
	}

	for _, path := range []string{"/widget.js", "/widget/panel.js"} {
		for _, encoding := range []string{"", "gzip", "br"} {
			res, _ := s.fetch(c, "GET", path, "Accept-Encoding", encoding)
			h := res.Header
			if res.StatusCode != 200 || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
				t.Errorf("%s (%q): %d nosniff %q CORP %q, want 200, nosniff, cross-origin", path, encoding, res.StatusCode,
					h.Get("X-Content-Type-Options"), h.Get("Cross-Origin-Resource-Policy"))
			}
			for _, never := range []string{"Content-Security-Policy", "X-Frame-Options", "Cross-Origin-Opener-Policy", "Referrer-Policy"} {
				if got := h.Get(never); got != "" {
					t.Errorf("%s: %s %q: the widget runs embedded in customers' pages, it needs none", path, never, got)
				}
			}
		}
	}

	// The REST API's JSON and the demo site (a stand-in for a customer's
	// site, framed or not as its owner likes) get nosniff only.
	for _, path := range []string{"/api/setup", "/api/nope", "/healthz", "/demo/", "/demo/demo.css"} {
		res, _ := s.fetch(c, "GET", path)
		if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", path, got)
		}
		if strings.HasPrefix(path, "/demo/") && (res.Header.Get("Content-Security-Policy") != "" || res.Header.Get("X-Frame-Options") != "") {
			t.Errorf("%s: the console's CSP or frame options on the demo site", path)
		}
	}
}
