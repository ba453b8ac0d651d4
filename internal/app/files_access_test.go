package app_test

import (
	"fmt"
	"testing"
)

// Who may send and read a file, and what a bad upload gets: each refusal
// changes nothing.
func TestFileAccess(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	ben := admin.addOperator("Ben Okafor", 1, 3)
	v, _, chatID := startedChat(s, admin)
	up := v.upload(chatID, "photo.png", pngFile, "")
	if up.status != 201 {
		t.Fatalf("upload = %d %s", up.status, up.body)
	}
	fileID := up.json().obj("message").obj("file").num("id")

	other := s.visitor("/demo/")
	other.say("I am someone else")
	cases := []struct {
		name   string
		got    reply
		status int
		code   string
	}{
		{"another visitor reads the file", other.fetch(fileID, ""), 404, "not_found"},
		{"another visitor sends into the chat", other.upload(chatID, "x.png", pngFile, ""), 404, "not_found"},
		{"a visitor sends into an unknown chat", v.upload(chatID+100, "x.png", pngFile, ""), 404, "not_found"},
		{"an unknown file", v.fetch(fileID+100, ""), 404, "not_found"},
		{"no token", s.request("GET", fmt.Sprintf("/api/visitor/files/%d?site_key=%s", fileID, s.siteKey()), nil, nil), 401, "unauthorized"},
		{"a wrong site key", s.request("GET", fmt.Sprintf("/api/visitor/files/%d?site_key=pk_nope", fileID), nil, nil), 404, "not_found"},
		{"no client_id", s.request("POST", fmt.Sprintf("/api/visitor/files?site_key=%s&chat_id=%d", s.siteKey(), chatID), pngFile,
			map[string][]string{"Authorization": {"Bearer " + v.token}}), 400, "bad_request"},
		{"an operator not in the chat sends a file", ben.upload(chatID, "x.pdf", pdfFile), 403, "forbidden"},
		{"an operator without a session reads", s.request("GET", fmt.Sprintf("/api/files/%d", fileID), nil, nil), 401, "unauthorized"},
	}
	for _, c := range cases {
		if c.got.status != c.status || c.got.json().str("code") != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, c.got.status, c.got.body, c.status, c.code)
		}
	}
	// any operator of the site reads a chat's files, as History shows it
	if r := ben.fetch(fileID); r.status != 200 {
		t.Errorf("another operator reads the file: %d", r.status)
	}
	admin.end(chatID)
	if r := v.upload(chatID, "late.png", pngFile, ""); r.status != 409 || r.json().str("code") != "ended" {
		t.Errorf("a file into an ended chat: %d %s", r.status, r.body)
	}
	if r := admin.upload(chatID, "late.pdf", pdfFile); r.status != 409 {
		t.Errorf("the operator's file into an ended chat: %d %s", r.status, r.body)
	}
	if r := v.fetch(fileID, ""); r.status != 200 {
		t.Errorf("the visitor reads their file after the chat ended: %d", r.status)
	}
	_, msgs := admin.chat(chatID)
	for _, m := range msgs {
		if m.File != nil && m.File.ID != fileID {
			t.Errorf("a refused upload was stored: %+v", m.File)
		}
	}
}

// The widget's file endpoints answer CORS for the site's allowed origins
// only, preflight included.
func TestFilesCORS(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v, _, chatID := startedChat(s, admin)
	admin.patchSettings(map[string]any{"allowed_origins": []string{"https://shop.test"}})
	preflight := func(origin, path string) reply {
		return s.request("OPTIONS", path+"?site_key="+s.siteKey(), nil, map[string][]string{"Origin": {origin},
			"Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"authorization,content-type"}})
	}
	for _, path := range []string{"/api/visitor/files", "/api/visitor/files/1"} {
		r := preflight("https://shop.test", path)
		if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "https://shop.test" ||
			r.header.Get("Access-Control-Allow-Headers") != "Authorization, Content-Type" || r.header.Get("Access-Control-Allow-Methods") != "GET, POST" {
			t.Errorf("preflight of %s from an allowed origin: %d %v", path, r.status, r.header)
		}
		r = preflight("https://evil.test", path)
		if r.status != 403 || r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight of %s from another origin: %d %v", path, r.status, r.header)
		}
	}
	if r := s.request("GET", "/api/visitor/files?site_key="+s.siteKey(), nil, map[string][]string{"Origin": {"https://shop.test"}}); r.status != 200 ||
		r.json().num("max_file_bytes") != 10<<20 || r.header.Get("Access-Control-Allow-Origin") != "https://shop.test" {
		t.Errorf("the file settings from the allowed origin: %d %s %v", r.status, r.body, r.header)
	}
	if r := s.request("GET", "/api/visitor/files?site_key="+s.siteKey(), nil, map[string][]string{"Origin": {"https://evil.test"}}); r.status != 403 {
		t.Errorf("the file settings from another origin: %d", r.status)
	}
	up := v.upload(chatID, "photo.png", pngFile, "https://shop.test")
	if up.status != 201 || up.header.Get("Access-Control-Allow-Origin") != "https://shop.test" {
		t.Fatalf("upload from the allowed origin: %d %s %v", up.status, up.body, up.header)
	}
	id := up.json().obj("message").obj("file").num("id")
	if r := v.fetch(id, "https://shop.test"); r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "https://shop.test" {
		t.Errorf("fetch from the allowed origin: %d %v", r.status, r.header)
	}
	if r := v.fetch(id, "https://evil.test"); r.status != 403 || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("fetch from another origin: %d %v", r.status, r.header)
	}
	if r := v.upload(chatID, "photo.png", pngFile, "https://evil.test"); r.status != 403 {
		t.Errorf("upload from another origin: %d", r.status)
	}
}

// Uploads are limited per sender: a burst, then one every few seconds.
func TestFileUploadLimit(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v, _, chatID := startedChat(s, admin)
	for i := range 10 {
		if r := v.upload(chatID, fmt.Sprintf("%d.txt", i), []byte("a line\n"), ""); r.status != 201 {
			t.Fatalf("upload %d: %d %s", i, r.status, r.body)
		}
	}
	r := v.upload(chatID, "one too many.txt", []byte("a line\n"), "")
	if r.status != 429 || r.json().str("code") != "too_many_requests" || r.header.Get("Retry-After") != "6" {
		t.Fatalf("the 11th upload at once: %d %s %v", r.status, r.body, r.header)
	}
	s.advance(6e9)
	if r := v.upload(chatID, "later.txt", []byte("a line\n"), ""); r.status != 201 {
		t.Fatalf("an upload once the budget grew back: %d %s", r.status, r.body)
	}
}
