package httpapi

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// snippetMarker is where a demo page wants the widget snippet.
const snippetMarker = "<!-- outputdesk-snippet -->"

// Health is each part a node needs, and its error; nil when it answers.
type Health struct {
	Store error
	Bus   error
}

// health answers 200 when the store and the bus both answer, and 503
// otherwise, so a load balancer sends clients to another node.
func (s *server) health(w http.ResponseWriter, r *http.Request) {
	h := s.svc.Health(r.Context())
	body := map[string]string{"status": "ok", "store": "ok", "bus": "ok"}
	var problems []string
	if h.Store != nil {
		body["store"] = "unavailable"
		problems = append(problems, "the store does not answer")
	}
	if h.Bus != nil {
		body["bus"] = "unavailable"
		problems = append(problems, "the bus (NATS) does not answer: this node does not hear the others")
	}
	if len(problems) > 0 {
		s.log.Warn("health check failed", "store", h.Store, "bus", h.Bus)
		body["status"], body["error"] = "unavailable", strings.Join(problems, "; ")
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	writeJSON(w, 200, body)
}

// home sends a browser to the console; it is a console page for its headers.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	setConsoleHeaders(w.Header())
	http.Redirect(w, r, "/console/", http.StatusFound)
}

// console serves the built console; paths that are not files get its
// index.html, so the console's own routes survive a reload. A missing file
// under assets/ is a 404: index.html under a hashed name would be cached for
// a year and refused as a script.
func (s *server) console(w http.ResponseWriter, r *http.Request) {
	setConsoleHeaders(w.Header())
	name := path.Clean(strings.TrimPrefix(r.URL.Path, "/console/"))
	if _, ok := s.static["console/"+name]; !ok {
		if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", "no-cache")
			http.NotFound(w, r)
			return
		}
		name = "index.html"
	}
	if strings.HasPrefix(name, "assets/") {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // names carry a content hash
	} else {
		w.Header().Set("Cache-Control", "no-cache") // revalidated: a 304 while its ETag holds
	}
	s.serveAsset(w, r, "console/"+name)
}

// favicon serves the console's icon at the root too, for the demo pages
// (and any page of this server) that ask for /favicon.svg.
func (s *server) favicon(w http.ResponseWriter, r *http.Request) {
	setConsoleHeaders(w.Header())
	w.Header().Set("Cache-Control", "public, max-age=86400")
	s.serveAsset(w, r, "console/favicon.svg")
}

// widgetFile serves the widget loader or panel. Their names are fixed (the
// snippet names widget.js), so caches keep them only briefly.
func (s *server) widgetFile(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setWidgetHeaders(w.Header())
		w.Header().Set("Cache-Control", "public, max-age=300")
		s.serveAsset(w, r, "widget/"+name)
	}
}

// demoPage serves a page of the demo website with the same snippet Settings
// > Install shows.
func (s *server) demoPage(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, err := fs.ReadFile(s.assets, "demo/"+name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		page = bytes.Replace(page, []byte(snippetMarker), []byte(s.svc.Snippet()), 1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(page)
	}
}

// demoFile serves a static file of the demo website.
func (s *server) demoFile(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		s.serveFile(w, r, "demo/"+name)
	}
}

func (s *server) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	data, err := fs.ReadFile(s.assets, name)
	if err != nil {
		http.Error(w, "not built: run `make web`", http.StatusNotFound)
		return
	}
	http.ServeContent(w, r, path.Base(name), time.Time{}, bytes.NewReader(data))
}
