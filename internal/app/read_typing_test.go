package app_test

import (
	"testing"
)

// Read positions live on the server: an operator's second console hears
// how far the first has read, a new console (a new log-in) starts from it,
// and the visitor's tabs hear "Seen".
func TestReadPositions(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	first := admin.console(nil, false)

	v := s.visitor("/demo/product")
	v.say("Hello?")
	chatID := v.chatID
	first.chatState(chatID, "waiting")
	admin.take(chatID)
	first.message("Hello?")
	v.say("Anyone there?")
	first.message("Anyone there?")
	if w := v.welcome.num("seen_seq"); w != 0 {
		t.Fatalf("a new visitor's welcome says seen_seq %d", w)
	}

	second := s.login("ada@example.com", "correct horse").console(nil, false)
	if read := second.welcome.obj("read"); len(read) != 0 {
		t.Fatalf("before any read, welcome read = %v", read)
	}

	ref := first.ref()
	first.send(map[string]any{"type": "chat.read", "ref": ref, "chat_id": chatID, "seq": 2})
	if r := first.reply(ref); r.str("type") != "ack" || r.num("seq") != 2 {
		t.Fatalf("chat.read reply = %v", r)
	}
	if f := second.nextType("read"); f.num("chat_id") != chatID || f.num("seq") != 2 {
		t.Fatalf("the second console heard %v", f)
	}
	if f := v.nextType("seen"); f.num("chat_id") != chatID || f.num("seq") != 2 {
		t.Fatalf("the widget heard %v", f)
	}

	// A position never moves down: marking less answers with the higher.
	ref = second.ref()
	second.send(map[string]any{"type": "chat.read", "ref": ref, "chat_id": chatID, "seq": 1})
	if r := second.reply(ref); r.str("type") != "ack" || r.num("seq") != 2 {
		t.Fatalf("marking below the position: %v", r)
	}

	// A new log-in starts from the server's positions, and so does the
	// visitor's next page.
	third := s.login("ada@example.com", "correct horse").console(nil, false)
	if got := third.welcome.obj("read").num(itoa(chatID)); got != 2 {
		t.Fatalf("a new console's welcome read = %v, want %d: 2", third.welcome.obj("read"), chatID)
	}
	v.reconnect()
	if got := v.welcome.num("seen_seq"); got != 2 {
		t.Fatalf("the widget's welcome seen_seq = %d, want 2", got)
	}

	// Another operator has their own position; watching tells it.
	ben := admin.addOperator("Ben Okafor", 1, 2)
	bc := ben.console(nil, false)
	ref = bc.ref()
	bc.send(map[string]any{"type": "chat.watch", "ref": ref, "chat_id": chatID})
	if r := bc.reply(ref); r.str("type") != "ack" || r.num("read_seq") != 0 {
		t.Fatalf("Ben's watch reply = %v, want read_seq 0", r)
	}
	ref = first.ref()
	first.send(map[string]any{"type": "chat.watch", "ref": ref, "chat_id": chatID})
	if r := first.reply(ref); r.num("read_seq") != 2 {
		t.Fatalf("Ada's watch reply = %v, want read_seq 2", r)
	}
}

// Bad read marks get a clear error and change nothing.
func TestReadPositionsBadInput(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	con := admin.console(nil, false)
	v := s.visitor("/demo/")
	v.say("Hi")
	con.chatState(v.chatID, "waiting")

	for _, tc := range []struct {
		name  string
		frame map[string]any
		code  string
	}{
		{"no seq", map[string]any{"type": "chat.read", "chat_id": v.chatID}, "bad_request"},
		{"no chat", map[string]any{"type": "chat.read", "seq": 1}, "bad_request"},
		{"seq past the last message", map[string]any{"type": "chat.read", "chat_id": v.chatID, "seq": 2}, "invalid"},
		{"seq zero", map[string]any{"type": "chat.read", "chat_id": v.chatID, "seq": 0}, "invalid"},
		{"unknown chat", map[string]any{"type": "chat.read", "chat_id": v.chatID + 100, "seq": 1}, "not_found"},
	} {
		ref := con.ref()
		tc.frame["ref"] = ref
		con.send(tc.frame)
		if r := con.reply(ref); r.str("type") != "error" || r.str("code") != tc.code {
			t.Errorf("%s: reply %v, want error %s", tc.name, r, tc.code)
		}
	}
	if got := admin.console(nil, false).welcome.obj("read"); len(got) != 0 {
		t.Fatalf("after only bad marks, read = %v", got)
	}
}

// Typing shows both ways, is never stored, and the draft travels only with
// "Message preview" on.
func TestTyping(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	con := admin.console(nil, false)
	v := s.visitor("/demo/product")
	if v.welcome["message_preview"] != false {
		t.Fatalf("message_preview in the welcome = %v, want false by default", v.welcome["message_preview"])
	}

	// no chat yet: nothing to show it in
	ref := v.ref()
	v.send(map[string]any{"type": "typing", "ref": ref, "active": true})
	if r := v.reply(ref); r.str("code") != "not_found" {
		t.Fatalf("typing with no chat: %v", r)
	}

	v.say("Hello")
	chatID := v.chatID
	con.chatState(chatID, "waiting")
	ref = con.ref()
	con.send(map[string]any{"type": "typing", "ref": ref, "chat_id": chatID, "active": true})
	if r := con.reply(ref); r.str("code") != "forbidden" {
		t.Fatalf("typing in a ticket not taken: %v", r)
	}
	admin.take(chatID)
	con.message("Hello")

	v.send(map[string]any{"type": "typing", "active": true, "draft": "my secret dr"})
	f := con.nextType("typing")
	if f.num("chat_id") != chatID || f.str("author") != "visitor" || f["active"] != true {
		t.Fatalf("the console heard %v", f)
	}
	if _, ok := f["draft"]; ok {
		t.Fatalf("the draft reached the console with Message preview off: %v", f)
	}

	con.send(map[string]any{"type": "typing", "chat_id": chatID, "active": true})
	f = v.nextType("typing")
	if f.str("author") != "operator" || f.obj("operator").str("name") != "Ada Admin" || f["active"] != true {
		t.Fatalf("the widget heard %v", f)
	}
	con.send(map[string]any{"type": "typing", "chat_id": chatID, "active": false})
	if f := v.nextType("typing"); f["active"] != false {
		t.Fatalf("stopping: the widget heard %v", f)
	}

	admin.patchSettings(map[string]any{"message_preview": true})
	v.reconnect()
	if v.welcome["message_preview"] != true {
		t.Fatalf("message_preview after turning it on = %v", v.welcome["message_preview"])
	}
	v.send(map[string]any{"type": "typing", "active": true, "draft": "Does it ship to Nor"})
	if f := con.nextType("typing"); f.str("draft") != "Does it ship to Nor" {
		t.Fatalf("with Message preview on the console heard %v", f)
	}

	// nothing typed was stored
	_, msgs := admin.chat(chatID)
	if len(msgs) != 1 {
		t.Fatalf("%d messages stored, want only the one sent", len(msgs))
	}
}

// Read marks and typing travel on the bus: a visitor on node A and their
// operator on node B, with a second console of the operator on A.
func TestNodesReadAndTypingAcrossNodes(t *testing.T) {
	c := startCluster(t, 2)
	a, b := c.nodes[0], c.nodes[1]
	admin := c.setup()
	john := admin.addOperator("John Mathews", 1, 2)
	jb := john.on(b).console(nil, false)

	v := a.visitor("/demo/product")
	v.say("Hello from A")
	jb.chatState(v.chatID, "waiting")
	john.on(b).take(v.chatID)
	jb.message("Hello from A")
	ja := john.on(a).console(nil, false)

	ref := jb.ref()
	jb.send(map[string]any{"type": "chat.read", "ref": ref, "chat_id": v.chatID, "seq": 1})
	if r := jb.reply(ref); r.str("type") != "ack" {
		t.Fatalf("chat.read on B: %v", r)
	}
	if f := v.nextType("seen"); f.num("seq") != 1 {
		t.Fatalf("the widget on A heard %v", f)
	}
	if f := ja.nextType("read"); f.num("chat_id") != v.chatID || f.num("seq") != 1 {
		t.Fatalf("John's console on A heard %v", f)
	}

	v.send(map[string]any{"type": "typing", "active": true})
	if f := jb.nextType("typing"); f.str("author") != "visitor" || f.num("chat_id") != v.chatID {
		t.Fatalf("John on B heard %v", f)
	}
	jb.send(map[string]any{"type": "typing", "chat_id": v.chatID, "active": true})
	if f := v.nextType("typing"); f.obj("operator").str("name") != "John Mathews" {
		t.Fatalf("the visitor on A heard %v", f)
	}
}
