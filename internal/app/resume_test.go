package app_test

import (
	"fmt"
	"testing"
)

// bodies lists the message bodies among frames, in order.
func bodies(frames []frame) []string {
	var out []string
	for _, f := range frames {
		if f.str("type") == "message" {
			out = append(out, f.obj("message").str("body"))
		}
	}
	return out
}

// A console drops mid-conversation, messages are sent meanwhile, it
// reconnects with its last seq and gets each missed message exactly once.
func TestConsoleResumesExactly(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v := s.visitor("/demo/")
	v.say("hello")
	admin.take(v.chatID)
	con := admin.console(nil, false)
	con.message("hello") // seq 1, sent as history
	con.close()

	for i := 1; i <= 3; i++ {
		v.say(fmt.Sprintf("missed %d", i))
	}
	con = admin.console(map[int64]int64{v.chatID: 1}, false)
	// the missed messages are queued before the reply to sync: all have
	// arrived when it comes, in the order they were sent
	con.sync()
	if got := fmt.Sprint(bodies(con.drain())); got != "[missed 1 missed 2 missed 3]" {
		t.Fatalf("after resuming the console got %s, want each missed message once, in order", got)
	}
	v.say("live again")
	if m := con.message("live again"); m.num("seq") != 5 {
		t.Fatalf("live message after resume = %v", m)
	}
	con.sync()
	if extra := bodies(con.drain()); len(extra) != 0 {
		t.Fatalf("messages doubled after resume: %v", extra)
	}
}

// The widget resumes the same way, through its welcome.
func TestWidgetResumesExactly(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v := s.visitor("/demo/pricing")
	v.say("hi")
	admin.take(v.chatID)
	con := admin.console(nil, false)
	v.message("hi")
	v.close()

	con.say(v.chatID, "are you there?")
	con.say(v.chatID, "I can help with pricing.")
	v.connect("/demo/pricing", "pv-/demo/pricing")
	if got := fmt.Sprint(bodies(wrap(v.welcome.list("messages")))); got != "[are you there? I can help with pricing.]" {
		t.Fatalf("welcome messages = %s, want the two missed", got)
	}
	if c := v.welcome.obj("chat"); c.num("id") != v.chatID || c.str("state") != "active" || c.num("last_seq") != 3 {
		t.Fatalf("welcome chat = %v", c)
	}
	con.say(v.chatID, "live")
	v.message("live")
	v.sync()
	if extra := bodies(v.drain()); len(extra) != 0 {
		t.Fatalf("the widget got messages twice: %v", extra)
	}
}

func wrap(msgs []frame) []frame {
	out := make([]frame, len(msgs))
	for i, m := range msgs {
		out[i] = frame{"type": "message", "message": map[string]any(m)}
	}
	return out
}

// A retried send with the same client id is stored once and acked with the
// first seq, from the widget and from the console.
func TestRetriedSendIsStoredOnce(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v := s.visitor("/demo/")
	first := v.sayWithID("only once", "client-1")
	again := v.sayWithID("only once", "client-1")
	if first.num("seq") != again.num("seq") || first.num("chat_id") != again.num("chat_id") {
		t.Fatalf("retry acked %v, first %v", again, first)
	}
	// a retry from another tab after reconnecting is the same send
	v.reconnect()
	if r := v.sayWithID("only once", "client-1"); r.num("seq") != first.num("seq") {
		t.Fatalf("retry after reconnect acked seq %d", r.num("seq"))
	}
	admin.take(v.chatID)
	con := admin.console(nil, false)
	for i := 0; i < 2; i++ {
		ref := con.ref()
		con.send(map[string]any{"type": "message.send", "ref": ref, "chat_id": v.chatID, "client_id": "op-1", "body": "answer"})
		if r := con.reply(ref); r.num("seq") != 2 {
			t.Fatalf("operator send %d acked %v, want seq 2", i, r)
		}
	}
	_, msgs := admin.chat(v.chatID)
	if len(msgs) != 2 {
		t.Fatalf("%d messages stored, want 2: %+v", len(msgs), msgs)
	}
}

// Restart: chats, messages and sessions survive; widgets and consoles
// reconnect and carry on.
func TestRestartKeepsEverything(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v := s.visitor("/demo/product")
	v.say("before the restart")
	admin.take(v.chatID)
	con := admin.console(nil, false)
	con.say(v.chatID, "noted")
	v.message("noted")

	s.restart()
	if code := v.waitClosed(); code != 1012 {
		t.Errorf("the widget's socket closed with %d, want 1012 (service restart)", code)
	}
	con.waitClosed()

	// the session cookie still works
	var me struct {
		Operator struct{ Name string } `json:"operator"`
	}
	admin.mustDo("GET", "/api/session", nil, 200, &me)
	if me.Operator.Name != "Ada Admin" {
		t.Fatalf("session after restart = %+v", me)
	}
	v.connect("/demo/product", "pv-/demo/product")
	if c := v.welcome.obj("chat"); c.num("id") != v.chatID || c.str("state") != "active" {
		t.Fatalf("the widget's chat after restart = %v", c)
	}
	con = admin.console(map[int64]int64{v.chatID: 2}, false)
	chats := con.welcome.list("chats")
	if len(chats) != 1 || chats[0].num("id") != v.chatID {
		t.Fatalf("the console's chats after restart = %v", chats)
	}
	v.say("after the restart")
	if m := con.message("after the restart"); m.num("seq") != 3 {
		t.Fatalf("message after restart = %v", m)
	}
	_, msgs := admin.chat(v.chatID)
	if len(msgs) != 3 || msgs[0].Body != "before the restart" {
		t.Fatalf("messages after restart = %+v", msgs)
	}
}
