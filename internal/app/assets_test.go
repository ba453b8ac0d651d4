package app_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"outputdesk/web"
)

// The widget, the panel and the console are sent precompressed: br or gzip
// as Accept-Encoding asks (identity when it asks for neither), with
// Vary: Accept-Encoding, a strong ETag per encoding that answers
// If-None-Match with 304, and a year's caching only for hashed names.
// Brotli is decoded by the browser test (e2e/csp.test.js, Node's zlib): the
// standard library has no brotli reader.
func TestCompressedAssets(t *testing.T) {
	s := startServer(t)
	c := rawClient(t)

	files := map[string]string{ // URL path → file in web.Files
		"/widget.js":           "dist/widget/widget.js",
		"/widget/panel.js":     "dist/widget/panel.js",
		"/console/":            "dist/console/index.html",
		"/console/settings":    "dist/console/index.html", // a route of the console, its index.html
		"/console/favicon.svg": "dist/console/favicon.svg",
		"/favicon.svg":         "dist/console/favicon.svg", // the same icon, for the demo pages
	}
	for _, p := range consoleAssets(t) {
		files[p] = "dist" + p
	}
	for path, file := range files {
		built, err := fs.ReadFile(web.Files, file)
		if err != nil {
			t.Fatal(err)
		}
		wantCache := "no-cache"
		switch {
		case strings.HasPrefix(path, "/console/assets/"):
			wantCache = "public, max-age=31536000, immutable"
		case strings.HasPrefix(path, "/widget"):
			wantCache = "public, max-age=300"
		case path == "/favicon.svg":
			wantCache = "public, max-age=86400"
		}

		etags := map[string]string{}
		for _, tc := range []struct{ accept, want string }{
			{"", ""},
			{"identity", ""},
			{"gzip", "gzip"},
			{"gzip, deflate", "gzip"},
			{"br", "br"},
			{"gzip, deflate, br, zstd", "br"},
			{"br;q=0, gzip", "gzip"},
			{"gzip;q=0.2, br;q=0.1", "gzip"},
		} {
			res, body := s.fetch(c, "GET", path, "Accept-Encoding", tc.accept)
			h := res.Header
			if res.StatusCode != 200 || h.Get("Content-Encoding") != tc.want {
				t.Fatalf("%s with Accept-Encoding %q: %d Content-Encoding %q, want 200 %q", path, tc.accept, res.StatusCode, h.Get("Content-Encoding"), tc.want)
			}
			if h.Get("Vary") != "Accept-Encoding" || h.Get("Cache-Control") != wantCache {
				t.Errorf("%s (%q): Vary %q Cache-Control %q, want Accept-Encoding and %q", path, tc.accept, h.Get("Vary"), h.Get("Cache-Control"), wantCache)
			}
			if h.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Errorf("%s (%q): Content-Length %q for %d bytes", path, tc.accept, h.Get("Content-Length"), len(body))
			}
			switch tc.want {
			case "":
				if !bytes.Equal(body, built) {
					t.Errorf("%s (%q): not the file as built", path, tc.accept)
				}
			case "gzip":
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("%s: gzip body: %v", path, err)
				}
				plain, err := io.ReadAll(zr)
				if err != nil || !bytes.Equal(plain, built) {
					t.Errorf("%s: gzip body decodes to %d bytes (%v), want the %d bytes as built", path, len(plain), err, len(built))
				}
			case "br":
				if len(body) >= len(built) || bytes.Equal(body, built) {
					t.Errorf("%s: br body of %d bytes for a file of %d", path, len(body), len(built))
				}
			}
			etag := h.Get("ETag")
			if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
				t.Errorf("%s (%q): ETag %q, want a strong (quoted) one", path, tc.accept, etag)
			}
			if prev, ok := etags[tc.want]; ok && prev != etag {
				t.Errorf("%s: the %q variant has ETags %s and %s", path, tc.want, prev, etag)
			}
			etags[tc.want] = etag

			again, body := s.fetch(c, "GET", path, "Accept-Encoding", tc.accept, "If-None-Match", etag)
			if again.StatusCode != 304 || len(body) != 0 || again.Header.Get("ETag") != etag {
				t.Errorf("%s (%q) If-None-Match %s: %d with %d bytes, ETag %q; want 304, empty", path, tc.accept, etag, again.StatusCode, len(body), again.Header.Get("ETag"))
			}
		}
		if len(etags) != 3 || etags[""] == etags["gzip"] || etags[""] == etags["br"] || etags["gzip"] == etags["br"] {
			t.Errorf("%s: ETags %v, want one per encoding", path, etags)
		}
		// Another encoding's ETag is another representation: the full answer.
		if res, _ := s.fetch(c, "GET", path, "Accept-Encoding", "br", "If-None-Match", etags["gzip"]); res.StatusCode != 200 {
			t.Errorf("%s: br with the gzip ETag: %d, want 200", path, res.StatusCode)
		}

		head, body := s.fetch(c, "HEAD", path, "Accept-Encoding", "br")
		if _, full := s.fetch(c, "GET", path, "Accept-Encoding", "br"); head.StatusCode != 200 || len(body) != 0 || head.Header.Get("Content-Length") != strconv.Itoa(len(full)) {
			t.Errorf("%s HEAD br: %d, %d bytes, Content-Length %q; want 200, none, %d", path, head.StatusCode, len(body), head.Header.Get("Content-Length"), len(full))
		}
	}

	// A hashed name that is not there is a 404, not index.html cached for a
	// year under a script's name.
	if res, _ := s.fetch(c, "GET", "/console/assets/index-missing.js", "Accept-Encoding", "br"); res.StatusCode != 404 || strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("a missing hashed asset: %d %q, want 404 not cached", res.StatusCode, res.Header.Get("Cache-Control"))
	}
}
