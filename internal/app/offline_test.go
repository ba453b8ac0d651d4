package app_test

import (
	"testing"

	"outputdesk/internal/protocol"
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
