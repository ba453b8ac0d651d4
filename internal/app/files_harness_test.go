package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Files in tests: the bytes of the smallest files of each kind.
var (
	pngFile = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
		"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
	pdfFile = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	exeFile = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), make([]byte, 200)...)
)

// reply is an HTTP answer, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json() frame {
	var f frame
	json.Unmarshal(r.body, &f)
	return f
}

// request sends a request with the test's context and reads the answer.
func (s *server) request(method, path string, body []byte, header http.Header) reply {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, _ := http.NewRequestWithContext(s.ctx, method, s.base+path, rd)
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: data}
}

// upload is the widget sending a file into a chat, as a page of origin
// ("" sends no Origin), with token (the widget's own unless given).
func (w *widget) upload(chatID int64, name string, data []byte, origin string) reply {
	w.srv.t.Helper()
	path := fmt.Sprintf("/api/visitor/files?site_key=%s&chat_id=%d&client_id=f-%d&name=%s",
		url.QueryEscape(w.srv.siteKey()), chatID, time.Now().UnixNano(), url.QueryEscape(name))
	h := http.Header{"Authorization": {"Bearer " + w.token}, "Content-Type": {"text/plain"}}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return w.srv.request("POST", path, data, h)
}

// fetch is the widget reading a file with its token.
func (w *widget) fetch(fileID int64, origin string) reply {
	w.srv.t.Helper()
	h := http.Header{"Authorization": {"Bearer " + w.token}}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return w.srv.request("GET", fmt.Sprintf("/api/visitor/files/%d?site_key=%s", fileID, url.QueryEscape(w.srv.siteKey())), nil, h)
}

// upload is the operator sending a file into a chat from the console.
func (o *operator) upload(chatID int64, name string, data []byte) reply {
	o.s.t.Helper()
	req, _ := http.NewRequestWithContext(o.s.ctx, "POST", fmt.Sprintf("%s/api/chats/%d/files?client_id=o-%d&name=%s",
		o.s.base, chatID, time.Now().UnixNano(), url.QueryEscape(name)), bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/pdf")
	req.Header.Set("X-CSRF-Token", o.csrf)
	return readReply(o.send(req))
}

// fetch is the operator reading a file.
func (o *operator) fetch(fileID int64) reply {
	o.s.t.Helper()
	req, _ := http.NewRequestWithContext(o.s.ctx, "GET", fmt.Sprintf("%s/api/files/%d", o.s.base, fileID), nil)
	return readReply(o.send(req))
}

func readReply(res *http.Response) reply {
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: data}
}

// startedChat is a visitor's chat taken by the operator, both sides
// connected.
func startedChat(s *server, o *operator) (*widget, *console, int64) {
	s.t.Helper()
	con := o.console(nil, false)
	v := s.visitor("/demo/product")
	v.say("Hello, a question about my order")
	o.take(v.chatID)
	v.chatWith(v.chatID, "active", o.me.Name)
	return v, con, v.chatID
}
