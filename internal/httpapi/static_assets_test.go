package httpapi

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// testAssets is a dist/ with one file stored in all three encodings (the
// "compressed" bytes are stand-ins: serving never looks inside them) and
// one stored as built only.
func testAssets(t *testing.T) *server {
	t.Helper()
	idx, err := loadAssets(fstest.MapFS{
		"dist/widget/widget.js":    {Data: []byte("console.log('the widget, as built');")},
		"dist/widget/widget.js.gz": {Data: []byte("gzip bytes")},
		"dist/widget/widget.js.br": {Data: []byte("br bytes")},
		"dist/console/tiny.css":    {Data: []byte("a{}")},
	}, "dist")
	if err != nil {
		t.Fatal(err)
	}
	return &server{static: idx}
}

func TestChooseEncoding(t *testing.T) {
	a := testAssets(t).static["widget/widget.js"]
	for _, tc := range []struct {
		accept []string // Accept-Encoding header lines; nil: none
		want   string   // coding; "" identity
	}{
		{nil, ""},
		{[]string{""}, ""},
		{[]string{"gzip, deflate, br, zstd"}, "br"}, // Chromium over HTTPS
		{[]string{"gzip, deflate"}, "gzip"},
		{[]string{"gzip"}, "gzip"},
		{[]string{"x-gzip"}, "gzip"},
		{[]string{"BR"}, "br"},
		{[]string{"br;q=0.5, gzip"}, "gzip"},
		{[]string{"br;q=0.8, gzip;q=0.8"}, "br"}, // a tie goes to the smaller
		{[]string{"gzip;q=0.8, br ; Q=0.9"}, "br"},
		{[]string{"br;q=0, *"}, "gzip"},
		{[]string{"*"}, "br"},
		{[]string{"identity"}, ""},
		{[]string{"br;q=0.001"}, "br"}, // identity, not named, ranks below any q
		{[]string{"identity;q=0.5, gzip;q=0.4"}, ""},
		{[]string{"gzip;q=0.5, identity"}, ""},
		{[]string{"gzip;q=0.5, identity;q=0"}, "gzip"},
		{[]string{"gzip;q=0.5, *;q=0"}, "gzip"},
		{[]string{"*;q=0"}, ""}, // nothing acceptable: sent as built all the same
		{[]string{"gzip;q=abc"}, ""},
		{[]string{"gzip;q=1.5"}, ""},
		{[]string{"gzip", "br"}, "br"}, // several header lines are one list
		{[]string{"deflate, zstd"}, ""},
	} {
		r := httptest.NewRequest("GET", "/widget.js", nil)
		for _, v := range tc.accept {
			r.Header.Add("Accept-Encoding", v)
		}
		if got := a.choose(r).coding; got != tc.want {
			t.Errorf("Accept-Encoding %q: coding %q, want %q", tc.accept, got, tc.want)
		}
	}
}

func TestETagListed(t *testing.T) {
	const etag = `"abc"`
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{`"abc"`, true},
		{`W/"abc"`, true}, // If-None-Match compares weakly
		{`"x", "abc"`, true},
		{`"x","y"`, false},
		{`*`, true},
		{`abc`, false},
	} {
		if got := etagListed(tc.header, etag); got != tc.want {
			t.Errorf("etagListed(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

// serve is one request to serveAsset with the given headers.
func serve(s *server, method, p string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/x", nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.serveAsset(w, r, p)
	return w
}

func TestServeAsset(t *testing.T) {
	s := testAssets(t)
	const js = "widget/widget.js"

	br := serve(s, "GET", js, "Accept-Encoding", "br", "Range", "bytes=0-1")
	if br.Code != 200 || br.Body.String() != "br bytes" || br.Header().Get("Content-Encoding") != "br" {
		t.Fatalf("br with a Range: %d %q %v, want the whole br variant (no ranges of encoded bytes)", br.Code, br.Body, br.Header())
	}
	if got := br.Header().Get("Content-Type"); got != "text/javascript; charset=utf-8" {
		t.Errorf("br Content-Type %q, want the file's", got)
	}
	if got := br.Header().Get("Content-Length"); got != "8" {
		t.Errorf("br Content-Length %q, want 8", got)
	}
	if got := br.Header().Get("Vary"); got != "Accept-Encoding" {
		t.Errorf("Vary %q, want Accept-Encoding", got)
	}

	head := serve(s, "HEAD", js, "Accept-Encoding", "gzip")
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != "10" || head.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("HEAD gzip: %d body %q headers %v, want 200, no body, the gzip variant's length", head.Code, head.Body, head.Header())
	}

	plain := serve(s, "GET", js, "Range", "bytes=0-6")
	if plain.Code != 206 || plain.Body.String() != "console" || plain.Header().Get("Content-Encoding") != "" {
		t.Errorf("identity with a Range: %d %q, want 206 \"console\"", plain.Code, plain.Body)
	}

	etags := map[string]string{}
	for _, coding := range []string{"br", "gzip", "identity"} {
		w := serve(s, "GET", js, "Accept-Encoding", coding)
		etag := w.Header().Get("ETag")
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
			t.Errorf("%s: ETag %q, want a quoted strong hash", coding, etag)
		}
		if other, seen := etags[etag]; seen {
			t.Errorf("%s and %s share the ETag %s", coding, other, etag)
		}
		etags[etag] = coding

		again := serve(s, "GET", js, "Accept-Encoding", coding, "If-None-Match", etag)
		if again.Code != 304 || again.Body.Len() != 0 || again.Header().Get("ETag") != etag {
			t.Errorf("%s with If-None-Match its ETag: %d %q, want 304 with the ETag", coding, again.Code, again.Body)
		}
	}
	for etag, coding := range etags {
		if coding == "br" {
			continue
		}
		if w := serve(s, "GET", js, "Accept-Encoding", "br", "If-None-Match", etag); w.Code != 200 {
			t.Errorf("br asked with the %s variant's ETag: %d, want 200 (another representation)", coding, w.Code)
		}
	}

	tiny := serve(s, "GET", "console/tiny.css", "Accept-Encoding", "br, gzip")
	if tiny.Code != 200 || tiny.Body.String() != "a{}" || tiny.Header().Get("Content-Encoding") != "" || tiny.Header().Get("Vary") != "" {
		t.Errorf("a file stored as built only: %d %q %v, want it as built, no Vary", tiny.Code, tiny.Body, tiny.Header())
	}
	if w := serve(s, "GET", "widget/nope.js"); w.Code != 404 {
		t.Errorf("a file not in dist: %d, want 404", w.Code)
	}
}
