package app_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// A frame without a member its type requires, or with it null, is answered
// bad_request with the frame's ref and changes nothing; a frame with every
// member there but a value out of range is answered invalid and changes
// nothing either; and the socket carries on: the valid frames after them on
// the same socket work (docs/protocol.md, protocol.VisitorFrameMembers and
// protocol.ConsoleFrameMembers). What a frame changed is read back through
// the API.

// frameCase is one raw frame sent after hello. In it, {ref} stands for the
// frame's ref and other {names} for ids the test fills in.
type frameCase struct {
	name    string
	frame   string
	code    string // the error's code; "" for an ack
	changes bool   // whether the frame changes what the test's state reads
	then    func() // checks what else the frame did, or did not do, if set
}

// sendFrames sends the cases' frames on sock in order. Each must get its
// reply, with its ref, before the next is sent; state, read before and
// after, must change exactly when the case says so.
func sendFrames(t *testing.T, sock *socket, ids *strings.Replacer, state func() string, cases []frameCase) {
	t.Helper()
	for _, tc := range cases {
		before := state()
		ref := sock.ref()
		raw := strings.ReplaceAll(ids.Replace(tc.frame), "{ref}", ref)
		if err := sock.ws.WriteMessage(websocket.TextMessage, []byte(raw)); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		// A probe after it, answered unknown_type: a frame left unanswered,
		// or answered without its ref, shows at once as the probe's reply
		// coming first, not at the test's deadline. Nothing else on these
		// sockets acks or errs.
		probe := sock.ref()
		sock.send(map[string]any{"type": "no.such.type", "ref": probe})
		r := sock.next(fmt.Sprintf("the reply to %q (%s)", tc.name, ref), func(f frame) bool {
			return f.str("type") == "ack" || f.str("type") == "error"
		})
		if r.str("ref") != probe {
			sock.reply(probe)
		}
		switch {
		case r.str("ref") != ref:
			t.Errorf("%s: reply %v, want one with ref %s", tc.name, r, ref)
		case tc.code == "" && r.str("type") != "ack":
			t.Errorf("%s: reply %v, want an ack", tc.name, r)
		case tc.code != "" && (r.str("type") != "error" || r.str("code") != tc.code || r.str("message") == ""):
			t.Errorf("%s: reply %v, want error %s with a message", tc.name, r, tc.code)
		}
		after := state()
		if tc.changes && after == before {
			t.Errorf("%s: changed nothing, want a change of\n%s", tc.name, before)
		}
		if !tc.changes && after != before {
			t.Errorf("%s: changed what it must not:\nbefore %s\nafter  %s", tc.name, before, after)
		}
		if tc.then != nil {
			tc.then()
		}
	}
}

// visitorState is what an operator can read of a visitor who is on the
// site: their Visitor List row (page, pages viewed, chat, open invitation),
// the pages they viewed, and their chats with each one's last message.
func visitorState(o *operator, visitorID int64) string {
	var pages, chats json.RawMessage
	o.mustDo("GET", fmt.Sprintf("/api/visitors/%d/pages", visitorID), nil, 200, &pages)
	o.mustDo("GET", fmt.Sprintf("/api/chats?visitor_id=%d", visitorID), nil, 200, &chats)
	return string(pages) + "\n" + string(chats)
}

// The widget's frames: message.send, invitation.dismiss and page.
func TestVisitorFramesMissingMembers(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	admin.console(nil, false) // an operator who is not Offline may invite
	v := s.visitor("/demo/")
	admin.mustDo("POST", fmt.Sprintf("/api/visitors/%d/invite", v.visitorID()), nil, 201, nil)
	inv := v.nextType("invitation").obj("invitation").num("id")
	ids := strings.NewReplacer("{invitation}", itoa(inv), "{64}", strings.Repeat("é", 64), "{65}", strings.Repeat("é", 65))
	state := func() string { return visitorState(admin, v.visitorID()) }

	sendFrames(t, v.socket, ids, state, []frameCase{
		{name: "message.send without body", frame: `{"type":"message.send","ref":"{ref}","client_id":"c1"}`, code: "bad_request"},
		{name: "message.send with a null body", frame: `{"type":"message.send","ref":"{ref}","client_id":"c1","body":null}`, code: "bad_request"},
		{name: "message.send without client_id", frame: `{"type":"message.send","ref":"{ref}","body":"hi"}`, code: "bad_request"},
		{name: "message.send with a null client_id", frame: `{"type":"message.send","ref":"{ref}","client_id":null,"body":"hi"}`, code: "bad_request"},
		{name: "message.send with an empty client_id", frame: `{"type":"message.send","ref":"{ref}","client_id":"","body":"hi"}`, code: "invalid"},
		{name: "message.send with a blank body", frame: `{"type":"message.send","ref":"{ref}","client_id":"c1","body":"   "}`, code: "invalid"},
		{name: "message.send with a 65-character client_id", frame: `{"type":"message.send","ref":"{ref}","client_id":"{65}","body":"hi"}`, code: "invalid"},
		{name: "invitation.dismiss without invitation_id", frame: `{"type":"invitation.dismiss","ref":"{ref}"}`, code: "bad_request"},
		{name: "invitation.dismiss with a null invitation_id", frame: `{"type":"invitation.dismiss","ref":"{ref}","invitation_id":null}`, code: "bad_request"},
		{name: "page without page.url", frame: `{"type":"page","ref":"{ref}","page":{"id":"pv-12345678","title":"Pricing"},"visible":true}`, code: "bad_request"},
		{name: "page with a null page", frame: `{"type":"page","ref":"{ref}","page":null,"visible":true}`, code: "bad_request"},
		// The socket carries on. The invitation is dismissed before the
		// message, which would otherwise accept it.
		{name: "the socket carries on: invitation.dismiss", frame: `{"type":"invitation.dismiss","ref":"{ref}","invitation_id":{invitation}}`, changes: true,
			then: func() {
				if f := v.nextType("invitation.closed"); f.str("state") != "dismissed" {
					t.Errorf("the invitation closed as %v", f)
				}
			}},
		{name: "the socket carries on: message.send with a 64-character client_id", frame: `{"type":"message.send","ref":"{ref}","client_id":"{64}","body":"hi"}`, changes: true,
			then: func() { v.message("hi") }},
		{name: "chat.end needs nothing", frame: `{"type":"chat.end","ref":"{ref}"}`, changes: true},
	})
}

// The console's frames: message.send, chat.watch and chat.unwatch.
func TestConsoleFramesMissingMembers(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v := s.visitor("/demo/")
	v.say("hello")
	admin.take(v.chatID)
	other := s.visitor("/demo/pricing")
	other.say("a question nobody took")
	con := admin.console(nil, false) // watches its own chat, not the waiting one
	ids := strings.NewReplacer("{mine}", itoa(v.chatID), "{waiting}", itoa(other.chatID))
	state := func() string {
		var chats json.RawMessage
		admin.mustDo("GET", "/api/chats", nil, 200, &chats)
		return string(chats)
	}

	sendFrames(t, con.socket, ids, state, []frameCase{
		{name: "message.send without chat_id", frame: `{"type":"message.send","ref":"{ref}","client_id":"c1","body":"hi"}`, code: "bad_request"},
		{name: "message.send with a null chat_id", frame: `{"type":"message.send","ref":"{ref}","chat_id":null,"client_id":"c1","body":"hi"}`, code: "bad_request"},
		{name: "message.send without client_id", frame: `{"type":"message.send","ref":"{ref}","chat_id":{mine},"body":"hi"}`, code: "bad_request"},
		{name: "message.send without body", frame: `{"type":"message.send","ref":"{ref}","chat_id":{mine},"client_id":"c1"}`, code: "bad_request"},
		{name: "message.send with an empty body", frame: `{"type":"message.send","ref":"{ref}","chat_id":{mine},"client_id":"c1","body":""}`, code: "invalid"},
		{name: "chat.watch without chat_id", frame: `{"type":"chat.watch","ref":"{ref}","last_seq":0}`, code: "bad_request"},
		{name: "the socket carries on: message.send", frame: `{"type":"message.send","ref":"{ref}","chat_id":{mine},"client_id":"c1","body":"How can I help?"}`, changes: true,
			then: func() { v.message("How can I help?") }},
		// last_seq may be left out: it is then 0, and the console is sent
		// the whole chat. Watching changes nothing stored.
		{name: "chat.watch without last_seq", frame: `{"type":"chat.watch","ref":"{ref}","chat_id":{waiting}}`,
			then: func() { con.message("a question nobody took") }},
		// After the watch, so that what an unwatch would change is there:
		// the console still hears the chat it watches.
		{name: "chat.unwatch without chat_id", frame: `{"type":"chat.unwatch","ref":"{ref}"}`, code: "bad_request",
			then: func() {
				other.say("still there?")
				con.message("still there?")
			}},
	})
}
