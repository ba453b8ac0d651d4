package app_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"outputdesk/internal/protocol"
)

// A file each way: the visitor's PNG (named .txt: its bytes decide) reaches
// the console as an image, the operator's PDF reaches the widget, each side
// reads the other's file, and History lists both.
func TestFilesBothWays(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v, con, chatID := startedChat(s, admin)

	up := v.upload(chatID, "notes.txt", pngFile, "")
	if up.status != 201 {
		t.Fatalf("visitor upload = %d %s", up.status, up.body)
	}
	file := up.json().obj("message").obj("file")
	if file.str("type") != "image/png" || file.str("name") != "notes.txt" || file.num("size") != int64(len(pngFile)) {
		t.Fatalf("uploaded file = %v, want a PNG named notes.txt", file)
	}
	if f := con.message("notes.txt").obj("file"); f.num("id") != file.num("id") || f.str("type") != "image/png" {
		t.Fatalf("the console heard the file as %v", f)
	}
	if f := v.message("notes.txt").obj("file"); f.num("id") != file.num("id") {
		t.Fatalf("the widget heard the file as %v", f)
	}
	got := admin.fetch(file.num("id"))
	if got.status != 200 || !bytes.Equal(got.body, pngFile) {
		t.Fatalf("operator fetch = %d, %d bytes", got.status, len(got.body))
	}
	wantHeaders(t, got, "image/png", `inline; filename=notes.txt`)

	down := admin.upload(chatID, "price list.pdf", pdfFile)
	if down.status != 201 {
		t.Fatalf("operator upload = %d %s", down.status, down.body)
	}
	pdf := v.message("price list.pdf").obj("file")
	if pdf.str("type") != "application/pdf" || pdf.num("size") != int64(len(pdfFile)) {
		t.Fatalf("the widget heard %v", pdf)
	}
	got = v.fetch(pdf.num("id"), "")
	if got.status != 200 || !bytes.Equal(got.body, pdfFile) {
		t.Fatalf("visitor fetch = %d %s", got.status, got.body)
	}
	wantHeaders(t, got, "application/pdf", `attachment; filename="price list.pdf"`)

	_, msgs := admin.chat(chatID)
	var files []string
	for _, m := range msgs {
		if m.File != nil {
			files = append(files, fmt.Sprintf("%s %s %d", m.Author, m.File.Name, m.File.Size))
		}
	}
	if want := []string{fmt.Sprintf("visitor notes.txt %d", len(pngFile)), fmt.Sprintf("operator price list.pdf %d", len(pdfFile))}; fmt.Sprint(files) != fmt.Sprint(want) {
		t.Fatalf("History's files = %v, want %v", files, want)
	}
	// a tab that resumes gets the file message again, with its file
	w := v.tab("/demo/")
	var resumed []protocol.Message
	for _, m := range w.welcome.list("messages") {
		if f := m.obj("file"); f != nil {
			resumed = append(resumed, protocol.Message{Body: m.str("body")})
		}
	}
	if len(resumed) != 2 {
		t.Fatalf("a new tab's welcome has %d file messages, want 2", len(resumed))
	}
}

// wantHeaders checks what every file is served with.
func wantHeaders(t *testing.T, r reply, contentType, disposition string) {
	t.Helper()
	for k, want := range map[string]string{
		"Content-Type": contentType, "Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
		"Content-Security-Policy": "default-src 'none'; sandbox",
	} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
}

// What a file is comes from its bytes, never its name; refused files and
// files over the limit leave nothing behind.
func TestFileTypesAndLimit(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v, _, chatID := startedChat(s, admin)
	for _, tc := range []struct {
		name   string
		data   []byte
		status int
		code   string
	}{
		{"page.html", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), 415, "unsupported_media_type"},
		{"logo.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 415, "unsupported_media_type"},
		{"invoice.pdf", exeFile, 415, "unsupported_media_type"},
		{"empty.txt", []byte{}, 400, "invalid"},
		{"hello.txt", []byte("Plain text, fine.\n"), 201, ""},
	} {
		r := v.upload(chatID, tc.name, tc.data, "")
		if r.status != tc.status || (tc.code != "" && r.json().str("code") != tc.code) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, r.status, r.body, tc.status, tc.code)
		}
	}
	if f := v.message("hello.txt").obj("file"); f.str("type") != "text/plain" {
		t.Fatalf("a text file: %v", f)
	}

	// the limit: in the settings, in the widget's file settings, and refused with 413
	admin.mustDo("PATCH", "/api/settings", map[string]any{"max_file_bytes": 10}, 400, nil)
	admin.mustDo("PATCH", "/api/settings", map[string]any{"file_types": []string{"image/svg+xml"}}, 400, nil)
	admin.patchSettings(map[string]any{"max_file_bytes": 2048, "file_types": []string{"image/png", "application/pdf"}})
	var set protocol.Settings
	admin.mustDo("GET", "/api/settings", nil, 200, &set)
	if set.MaxFileBytes != 2048 || fmt.Sprint(set.FileTypes) != "[image/png application/pdf]" {
		t.Fatalf("settings = %d %v", set.MaxFileBytes, set.FileTypes)
	}
	if r := s.request("GET", "/api/visitor/files?site_key="+s.siteKey(), nil, nil); r.status != 200 ||
		r.json().num("max_file_bytes") != 2048 || fmt.Sprint(r.json()["file_types"]) != "[image/png application/pdf]" {
		t.Fatalf("the widget's file settings: %d %s", r.status, r.body)
	}
	big := append(append([]byte{}, pdfFile...), bytes.Repeat([]byte("0"), 3000)...)
	r := v.upload(chatID, "big.pdf", big, "")
	if r.status != 413 || r.json().str("code") != "too_large" || !strings.Contains(r.json().str("error"), "2 KB") {
		t.Fatalf("a file over the limit: %d %s", r.status, r.body)
	}
	if r := admin.upload(chatID, "big.pdf", big); r.status != 413 {
		t.Fatalf("the operator's file over the limit: %d %s", r.status, r.body)
	}
	if r := v.upload(chatID, "hello.txt", []byte("Plain text, no longer allowed.\n"), ""); r.status != 415 {
		t.Fatalf("a type the admin took off the list: %d %s", r.status, r.body)
	}
	_, msgs := admin.chat(chatID)
	if n := len(msgs); n != 2 || msgs[1].File == nil || msgs[1].File.Name != "hello.txt" {
		t.Fatalf("the chat holds %d messages (%+v), want the first and hello.txt only", n, msgs)
	}
}
