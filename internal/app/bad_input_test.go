package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/config"
	"outputdesk/internal/store"
)

// counts is a fingerprint of everything stored, to show a refused request
// changed nothing.
func (s *server) counts() string {
	s.t.Helper()
	ctx := context.Background()
	st := s.app.Store()
	chats, err := st.ListChats(ctx, store.ChatFilter{})
	if err != nil {
		s.t.Fatal(err)
	}
	n, _ := st.CountOperators(ctx)
	out := fmt.Sprintf("operators=%d chats=%d", n, len(chats))
	for _, c := range chats {
		out += fmt.Sprintf(" [%d %s op=%d seq=%d]", c.ID, c.State, c.OperatorID, c.LastSeq)
	}
	set := s.app.Settings()
	out += fmt.Sprintf(" rule=%s text=%q", set.ChatRule, set.InvitationText)
	replies, _ := st.CannedReplies(ctx, 1, 0) // the first site's shared canned replies
	for _, r := range replies {
		out += fmt.Sprintf(" [canned %s %q]", r.Shortcut, r.Text)
	}
	return out
}

// Bad frames on the sockets get an error frame, change nothing, and the
// socket carries on.
func TestBadFrames(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v := s.visitor("/demo/")
	v.say("hello")
	other := s.visitor("/demo/pricing")
	other.say("the other visitor's chat")
	admin.take(v.chatID)
	con := admin.console(nil, false)
	before := s.counts()

	big := strings.Repeat("x", 4097)
	cases := []struct {
		name string
		sock *socket
		raw  string
		code string
	}{
		{"widget: not JSON", v.socket, `{"type":"message.send",`, "bad_request"},
		{"widget: not an object", v.socket, `[1,2,3]`, "bad_request"},
		{"widget: no type", v.socket, `{"ref":"x","body":"hi"}`, "bad_request"},
		{"widget: wrong member type", v.socket, `{"type":"message.send","ref":"x","client_id":7,"body":"hi"}`, "bad_request"},
		{"widget: unknown type", v.socket, `{"type":"chat.delete","ref":"x"}`, "unknown_type"},
		{"widget: message over 4 KiB", v.socket, `{"type":"message.send","ref":"x","client_id":"big","body":"` + big + `"}`, "too_large"},
		{"widget: empty message", v.socket, `{"type":"message.send","ref":"x","client_id":"e","body":"   "}`, "invalid"},
		{"widget: no client id", v.socket, `{"type":"message.send","ref":"x","body":"hi"}`, "bad_request"},
		{"widget: client id too long", v.socket, `{"type":"message.send","ref":"x","client_id":"` + strings.Repeat("é", 65) + `","body":"hi"}`, "invalid"},
		{"widget: another visitor's invitation", v.socket, `{"type":"invitation.dismiss","ref":"x","invitation_id":1}`, "not_found"},
		{"widget: second hello", v.socket, `{"type":"hello","ref":"x","page":{"url":"http://x"}}`, "bad_request"},
		{"console: unknown chat", con.socket, `{"type":"message.send","ref":"x","chat_id":99999,"client_id":"c","body":"hi"}`, "not_found"},
		{"console: a chat not assigned to me", con.socket, fmt.Sprintf(`{"type":"message.send","ref":"x","chat_id":%d,"client_id":"c","body":"hi"}`, other.chatID), "forbidden"},
		{"console: watch an unknown chat", con.socket, `{"type":"chat.watch","ref":"x","chat_id":424242}`, "not_found"},
		{"console: message over 4 KiB", con.socket, fmt.Sprintf(`{"type":"message.send","ref":"x","chat_id":%d,"client_id":"c","body":"%s"}`, v.chatID, big), "too_large"},
		{"console: unknown type", con.socket, `{"type":"visitors.delete","ref":"x"}`, "unknown_type"},
	}
	for _, tc := range cases {
		if err := tc.sock.ws.WriteMessage(websocket.TextMessage, []byte(tc.raw)); err != nil {
			t.Fatal(err)
		}
		f := tc.sock.nextType("error")
		if f.str("code") != tc.code || f.str("message") == "" {
			t.Errorf("%s: error = %v, want code %s with a message", tc.name, f, tc.code)
		}
		if tc.code == "too_large" && f.str("message") != "Message is longer than 4096 bytes" {
			t.Errorf("%s: message %q", tc.name, f.str("message"))
		}
	}
	if after := s.counts(); after != before {
		t.Fatalf("bad frames changed the store:\nbefore %s\nafter  %s", before, after)
	}
	// both sockets still work
	v.say("still here")
	if m := con.message("still here"); m.num("seq") != 2 {
		t.Fatalf("after the bad frames: %v", m)
	}
}

// A visitor token never reaches another visitor's chat.
func TestVisitorCannotReachAnotherChat(t *testing.T) {
	s := startServer(t)
	s.firstAdmin()
	victim := s.visitor("/demo/")
	victim.say("my private question")

	thief := s.visitor("/demo/")
	thief.chatID, thief.lastSeq = victim.chatID, 0 // claims the victim's chat on reconnect
	thief.reconnect()
	if c := thief.welcome.obj("chat"); c != nil {
		t.Fatalf("another visitor's chat in the welcome: %v", c)
	}
	if msgs := thief.welcome.list("messages"); len(msgs) != 0 {
		t.Fatalf("another visitor's messages leaked: %v", msgs)
	}
	// ending "its" chat ends nothing of the victim's
	ref := thief.ref()
	thief.send(map[string]any{"type": "chat.end", "ref": ref})
	if r := thief.reply(ref); r.str("code") != "not_found" {
		t.Fatalf("chat.end without a chat = %v", r)
	}
	thief.sync()
	for _, f := range thief.drain() {
		if f.str("type") == "message" {
			t.Fatalf("the other visitor heard a message: %v", f)
		}
	}
	admin := s.login("ada@example.com", "correct horse")
	if c, _ := admin.chat(victim.chatID); c.State != "waiting" {
		t.Fatalf("the victim's chat is %q", c.State)
	}
}

// Bad REST requests get a status and a JSON error and change nothing.
func TestBadRequests(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.SessionTTL = time.Hour })
	admin := s.firstAdmin()
	john := admin.addOperator("John Mathews", 1, 2)
	v := s.visitor("/demo/")
	v.say("hi")
	admin.take(v.chatID)
	admin.mustDo("POST", "/api/canned-replies", map[string]any{"shortcut": "ship", "text": "We ship in 2 days.", "shared": true}, 201, nil)

	raw := func(o *operator, method, path, contentType, body string, csrf bool) (int, map[string]any) {
		req, _ := http.NewRequestWithContext(s.ctx, method, s.base+path, bytes.NewBufferString(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if csrf {
			req.Header.Set("X-CSRF-Token", o.csrf)
		}
		res := o.send(req)
		defer res.Body.Close()
		var out map[string]any
		jsonDecode(res.Body, &out)
		return res.StatusCode, out
	}
	cases := []struct {
		name        string
		o           *operator
		method      string
		path        string
		contentType string
		body        string
		csrf        bool
		status      int
		code        string
	}{
		{"malformed JSON", admin, "PATCH", "/api/settings", "application/json", `{"chat_rule":`, true, 400, "bad_request"},
		{"wrong member type", admin, "PATCH", "/api/settings", "application/json", `{"chat_rule":5}`, true, 400, "bad_request"},
		{"two JSON values", admin, "PATCH", "/api/settings", "application/json", `{} {}`, true, 400, "bad_request"},
		{"not JSON content", admin, "PATCH", "/api/settings", "text/plain", `{"chat_rule":"Automatic"}`, true, 415, "unsupported_media_type"},
		{"body over 64 KiB", admin, "PATCH", "/api/settings", "application/json", `{"invitation_text":"` + strings.Repeat("y", 70<<10) + `"}`, true, 413, "too_large"},
		{"invalid value", admin, "PATCH", "/api/settings", "application/json", `{"chat_rule":"Sometimes"}`, true, 400, "invalid"},
		{"no CSRF token", admin, "PATCH", "/api/settings", "application/json", `{"chat_rule":"Automatic"}`, false, 403, "forbidden"},
		{"operator without the admin role", john, "PATCH", "/api/settings", "application/json", `{"chat_rule":"Automatic"}`, true, 403, "forbidden"},
		{"operator adds an operator", john, "POST", "/api/operators", "application/json", `{"name":"X","email":"x@example.com","password":"12345678","role":"admin","priority_level":1,"chat_limit":1}`, true, 403, "forbidden"},
		{"unknown chat", admin, "POST", "/api/chats/99999/take", "", "", true, 404, "not_found"},
		{"chat id not a number", admin, "GET", "/api/chats/abc", "", "", false, 404, "not_found"},
		{"unknown endpoint", admin, "GET", "/api/nothing", "", "", false, 404, "not_found"},
		{"ending another operator's chat", john, "POST", fmt.Sprintf("/api/chats/%d/end", v.chatID), "", "", true, 403, "forbidden"},
		{"not logged in", s.newOperatorClient(), "GET", "/api/chats", "", "", false, 401, "unauthorized"},
		{"canned reply: malformed JSON", admin, "POST", "/api/canned-replies", "application/json", `{"shortcut":"x",`, true, 400, "bad_request"},
		{"canned reply: text over the message limit", admin, "POST", "/api/canned-replies", "application/json", `{"shortcut":"x","text":"` + strings.Repeat("y", 4097) + `","shared":true}`, true, 413, "too_large"},
		{"canned reply: duplicate shortcut", admin, "POST", "/api/canned-replies", "application/json", `{"shortcut":"Ship","text":"again","shared":true}`, true, 409, "conflict"},
		{"canned reply: unknown id", admin, "PUT", "/api/canned-replies/99999", "application/json", `{"shortcut":"x","text":"x"}`, true, 404, "not_found"},
		{"canned reply: operator without the admin role makes a shared one", john, "POST", "/api/canned-replies", "application/json", `{"shortcut":"x","text":"x","shared":true}`, true, 403, "forbidden"},
		{"canned reply: operator without the admin role edits a shared one", john, "PUT", "/api/canned-replies/1", "application/json", `{"shortcut":"ship","text":"John's now"}`, true, 403, "forbidden"},
		{"canned reply: no CSRF token", admin, "DELETE", "/api/canned-replies/1", "", "", false, 403, "forbidden"},
		{"first admin twice", s.newOperatorClient(), "POST", "/api/setup/admin", "application/json", `{"name":"Eve","email":"eve@example.com","password":"12345678"}`, false, 409, "conflict"},
		{"wrong password", s.newOperatorClient(), "POST", "/api/session", "application/json", `{"email":"ada@example.com","password":"nope nope"}`, false, 401, "unauthorized"},
	}
	before := s.counts()
	for _, tc := range cases {
		status, body := raw(tc.o, tc.method, tc.path, tc.contentType, tc.body, tc.csrf)
		if status != tc.status || body["code"] != tc.code || body["error"] == "" {
			t.Errorf("%s: %d %v, want %d %s", tc.name, status, body, tc.status, tc.code)
		}
	}
	if after := s.counts(); after != before {
		t.Fatalf("bad requests changed the store:\nbefore %s\nafter  %s", before, after)
	}

	// an expired session: 401 session_expired, over REST and on the socket
	s.advance(time.Hour)
	status, body := raw(john, "GET", "/api/chats", "", "", false)
	if status != 401 || body["code"] != "session_expired" || body["error"] != "Your session has expired. Please log in again." {
		t.Fatalf("expired session: %d %v", status, body)
	}
	u := strings.Replace(s.base, "http", "ws", 1) + "/ws/console"
	h := http.Header{"Origin": {s.base}}
	h.Add("Cookie", "od_session=forged")
	sock := dial(t, u, h)
	if code := sock.waitClosed(); code != 4401 {
		t.Fatalf("console socket without a session closed with %d, want 4401", code)
	}
}

// A console socket from another site's page is refused (no riding cookies).
func TestConsoleSocketChecksOrigin(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	u := strings.Replace(s.base, "http", "ws", 1) + "/ws/console"
	h := http.Header{"Origin": {"https://evil.example"}}
	base := s.base + "/"
	req, _ := http.NewRequest("GET", base, nil)
	for _, ck := range admin.http.Jar.Cookies(req.URL) {
		h.Add("Cookie", ck.Name+"="+ck.Value)
	}
	if code := dial(t, u, h).waitClosed(); code != 4403 {
		t.Fatalf("closed with %d, want 4403", code)
	}
}
