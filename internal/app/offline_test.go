package app_test

import (
	"strings"
	"testing"

	"outputdesk/internal/config"
	"outputdesk/internal/mail/mailtest"
	"outputdesk/internal/protocol"
	"outputdesk/internal/testwait"
)

// "Leave a message": the widget knows whether an operator is Online, live;
// a message left reaches the consoles and the list, with its page, and is
// marked "Handled" once; bad input changes nothing.
func TestLeaveAMessage(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v := s.visitor("/demo/pricing")
	if v.welcome["operators_online"] != false {
		t.Fatalf("with no console open, operators_online = %v", v.welcome["operators_online"])
	}
	con := admin.console(nil, false)
	if f := v.nextType("availability"); f["online"] != true {
		t.Fatalf("an Online admin's console opened: %v", f)
	}
	admin.setStatus("Away")
	if f := v.nextType("availability"); f["online"] != false {
		t.Fatalf("the admin went Away: %v", f)
	}
	if w := s.visitor("/demo/"); w.welcome["operators_online"] != false {
		t.Fatalf("a new tab's welcome with everyone Away: %v", w.welcome["operators_online"])
	}

	leave := func(frame map[string]any) frame {
		ref := v.ref()
		frame["type"], frame["ref"] = "offline.message", ref
		v.send(frame)
		return v.reply(ref)
	}
	for _, tc := range []struct {
		name  string
		frame map[string]any
		code  string
	}{
		{"no email", map[string]any{"body": "hi"}, "bad_request"},
		{"not an email", map[string]any{"email": "ann@", "body": "hi"}, "invalid"},
		{"no message", map[string]any{"email": "ann@example.com", "body": "  "}, "invalid"},
	} {
		if r := leave(tc.frame); r.str("code") != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, r, tc.code)
		}
	}
	if r := leave(map[string]any{"name": "Ann", "email": "ann@example.com", "body": "Please call me about the Pro plan"}); r.str("type") != "ack" {
		t.Fatalf("leave a message: %v", r)
	}
	f := con.nextType("offline_message").obj("offline_message")
	if f.str("message") != "Please call me about the Pro plan" || f.obj("page").str("title") != "Pricing" || f["handled_at"] != nil {
		t.Fatalf("the console heard %v", f)
	}

	var list struct {
		Messages []protocol.OfflineMessage `json:"offline_messages"`
	}
	admin.mustDo("GET", "/api/offline-messages", nil, 200, &list)
	if len(list.Messages) != 1 || list.Messages[0].Email != "ann@example.com" || list.Messages[0].Name != "Ann" {
		t.Fatalf("Offline messages = %+v", list.Messages)
	}
	id := list.Messages[0].ID
	ben := admin.addOperator("Ben Okafor", 1, 2)
	var handled protocol.OfflineMessage
	ben.mustDo("POST", "/api/offline-messages/"+itoa(id)+"/handled", nil, 200, &handled)
	if handled.HandledBy == nil || handled.HandledBy.Name != "Ben Okafor" || handled.HandledAt == nil {
		t.Fatalf("handled = %+v", handled)
	}
	if f := con.nextType("offline_message").obj("offline_message"); f.obj("handled_by").str("name") != "Ben Okafor" {
		t.Fatalf("the console heard %v", f)
	}
	// marking it again keeps who did it first
	admin.mustDo("POST", "/api/offline-messages/"+itoa(id)+"/handled", nil, 200, &handled)
	if handled.HandledBy.Name != "Ben Okafor" {
		t.Fatalf("marked again: %+v", handled.HandledBy)
	}
	if st := admin.do("POST", "/api/offline-messages/999999/handled", nil, nil); st != 404 {
		t.Fatalf("an unknown one: %d", st)
	}
}

// With --smtp-url, each offline message is mailed to Settings'
// notification address, and a visitor who gave their email can have their
// chat's transcript mailed — never with a private note. A real SMTP
// server, started by the test, receives them.
func TestMail(t *testing.T) {
	addr, got := mailtest.Start(t)
	s := startServer(t, func(c *config.Config) { c.SMTPURL = "smtp://" + addr + "?from=desk@example.com" })
	admin := s.firstAdmin()
	if st := admin.do("PATCH", "/api/settings", map[string]any{"notify_email": "not-an-email"}, nil); st != 400 {
		t.Fatalf("a bad notification address: %d", st)
	}
	admin.patchSettings(map[string]any{"notify_email": "team@example.com"})
	next := func(what string) mailtest.Mail {
		t.Helper()
		expired, stop := testwait.Expiry(t)
		defer stop()
		select {
		case m := <-got:
			return m
		case <-expired:
			t.Fatalf("%s", gaveUp(t, what))
		}
		return mailtest.Mail{}
	}

	v := s.visitor("/demo/pricing")
	if v.welcome["mail"] != true {
		t.Fatalf("welcome mail = %v, want true with --smtp-url", v.welcome["mail"])
	}
	ref := v.ref()
	v.send(map[string]any{"type": "offline.message", "ref": ref, "name": "Ann", "email": "ann@example.com", "body": "Call me about the Pro plan"})
	if r := v.reply(ref); r.str("type") != "ack" {
		t.Fatalf("leave a message: %v", r)
	}
	m := next("the offline message's mail")
	if len(m.To) != 1 || m.To[0] != "team@example.com" || !strings.Contains(m.Data, "Call me about the Pro plan") ||
		!strings.Contains(m.Data, "Reply to: ann@example.com") || !strings.Contains(m.Data, "/demo/pricing") {
		t.Fatalf("the offline message's mail: %+v", m)
	}

	// A transcript: only to a visitor who gave an email, of their own chat.
	con := admin.console(nil, false)
	v.say("Hello")
	con.chatState(v.chatID, "waiting")
	admin.take(v.chatID)
	con.say(v.chatID, "Hi Ann!")
	admin.mustDo("POST", "/api/chats/"+itoa(v.chatID)+"/notes", map[string]any{"body": "PRIVATE: a note"}, 201, nil)
	mailTranscript := func(w *widget, chatID int64) frame {
		ref := w.ref()
		w.send(map[string]any{"type": "transcript.email", "ref": ref, "chat_id": chatID})
		return w.reply(ref)
	}
	if r := mailTranscript(v, v.chatID); r.str("code") != "invalid" {
		t.Fatalf("no email given yet: %v", r)
	}
	if r := mailTranscript(s.visitor("/demo/"), v.chatID); r.str("code") != "not_found" {
		t.Fatalf("another visitor's chat: %v", r)
	}
	v.identify("Ann", "ann@example.com")
	if r := mailTranscript(v, v.chatID); r.str("type") != "ack" {
		t.Fatalf("mail the transcript: %v", r)
	}
	m = next("the transcript's mail")
	if len(m.To) != 1 || m.To[0] != "ann@example.com" || !strings.Contains(m.Data, "You: Hello") ||
		!strings.Contains(m.Data, "Ada Admin: Hi Ann!") || strings.Contains(m.Data, "PRIVATE") {
		t.Fatalf("the transcript's mail: %+v", m)
	}
}
