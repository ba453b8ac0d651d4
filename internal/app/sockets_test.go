package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"outputdesk/internal/config"
	"outputdesk/internal/testwait"
)

// Past --max-sockets a new socket gets a clear 503, and the open ones go on.
func TestSocketCap(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.MaxSockets = 2 })
	s.firstAdmin()
	a, b := s.visitor("/demo/"), s.visitor("/demo/")
	u := strings.Replace(s.base, "http", "ws", 1) + "/ws/visitor?site_key=" + url.QueryEscape(s.app.Settings().SiteKey)
	var plain websocket.Dialer // no handshake timeout of its own: the test's deadline bounds it
	_, res, err := plain.DialContext(s.ctx, u, http.Header{"Origin": {s.base}})
	if err == nil || res == nil || res.StatusCode != 503 {
		t.Fatalf("third socket: err %v, response %+v; want 503", err, res)
	}
	var body map[string]string
	json.NewDecoder(res.Body).Decode(&body)
	if body["code"] != "unavailable" || res.Header.Get("Retry-After") == "" {
		t.Fatalf("503 body %v, Retry-After %q", body, res.Header.Get("Retry-After"))
	}
	a.say("still working")
	b.ws.Close()
	waitFor(t, "the server to free the slot", func() bool { return s.app.OpenTabs(b.visitorID()) != 1 })
	s.visitor("/demo/pricing") // a freed slot can be used again
}

// Console sockets negotiate compression (large, repetitive batches);
// visitor sockets do not (an idle visitor keeps no compressor).
func TestCompressionOnConsoleSocketsOnly(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	d := websocket.Dialer{EnableCompression: true}
	base := strings.Replace(s.base, "http", "ws", 1)
	h := http.Header{"Origin": {s.base}}
	pu, _ := url.Parse(s.base)
	for _, ck := range admin.http.Jar.Cookies(pu) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	ws, res, err := d.DialContext(s.ctx, base+"/ws/console", h)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if !strings.Contains(res.Header.Get("Sec-WebSocket-Extensions"), "permessage-deflate") {
		t.Fatalf("console socket did not negotiate compression: %q", res.Header.Get("Sec-WebSocket-Extensions"))
	}
	ws.SetReadDeadline(testwait.GiveUpAt(t)) // zero, no deadline, when the test has none
	ws.WriteJSON(map[string]any{"type": "hello", "visitors": true})
	var welcome map[string]any
	if err := ws.ReadJSON(&welcome); err != nil || welcome["type"] != "welcome" {
		t.Fatalf("compressed welcome: %v %v", welcome, err)
	}
	vws, res, err := d.DialContext(s.ctx, base+"/ws/visitor?site_key="+url.QueryEscape(s.app.Settings().SiteKey), http.Header{"Origin": {s.base}})
	if err != nil {
		t.Fatal(err)
	}
	defer vws.Close()
	if ext := res.Header.Get("Sec-WebSocket-Extensions"); ext != "" {
		t.Fatalf("visitor socket negotiated %q", ext)
	}
}
