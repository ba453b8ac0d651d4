package app_test

import (
	"testing"
)

// A visitor starts a chat → the operator sees the ticket → accepts →
// messages flow both ways → either side cancels → both see the end.
func TestChatFlow(t *testing.T) {
	for _, who := range []string{"visitor", "operator"} {
		t.Run(who+" cancels", func(t *testing.T) {
			s := startServer(t)
			admin := s.firstAdmin()
			con := admin.console(nil, false)

			v := s.visitor("/demo/product")
			if v.welcome.obj("chat") != nil || v.token == "" {
				t.Fatalf("welcome of a new visitor = %v", v.welcome)
			}
			v.say("Hi, does it ship to Norway?")
			chatID := v.chatID

			ticket := con.chatState(chatID, "waiting")
			if ticket.obj("visitor").str("name") == "" || ticket.obj("page").str("title") != "Product" {
				t.Fatalf("ticket = %v", ticket)
			}
			if r := ticket.list("routing"); len(r) != 1 || r[0].str("text") != "Manual: waiting for an operator to take it" {
				t.Fatalf("routing = %v", ticket["routing"])
			}
			if v.chatState(chatID, "waiting").num("id") != chatID {
				t.Fatal("the widget did not hear its chat")
			}

			taken := admin.take(chatID)
			if taken.State != "active" || taken.Operator.Name != "Ada Admin" || taken.Routing[len(taken.Routing)-1].Text != "Taken by Ada Admin" {
				t.Fatalf("taken chat = %+v", taken)
			}
			if op := v.chatState(chatID, "active").obj("operator"); op.str("name") != "Ada Admin" {
				t.Fatalf("the widget sees operator %v", op)
			}
			// the console is sent the whole history of a chat it takes
			if m := con.message("Hi, does it ship to Norway?"); m.num("seq") != 1 || m.str("author") != "visitor" {
				t.Fatalf("history = %v", m)
			}

			if r := con.say(chatID, "Yes, in 3 days."); r.str("type") != "ack" || r.num("seq") != 2 {
				t.Fatalf("operator send = %v", r)
			}
			if m := v.message("Yes, in 3 days."); m.str("author") != "operator" || m.obj("operator").str("name") != "Ada Admin" {
				t.Fatalf("visitor got %v", m)
			}
			v.say("Great, thanks!")
			if m := con.message("Great, thanks!"); m.num("seq") != 3 {
				t.Fatalf("operator got %v", m)
			}

			if who == "visitor" {
				ref := v.ref()
				v.send(map[string]any{"type": "chat.end", "ref": ref})
				if r := v.reply(ref); r.str("type") != "ack" || r.num("chat_id") != chatID {
					t.Fatalf("chat.end reply = %v", r)
				}
			} else {
				admin.end(chatID)
			}
			for _, sock := range []*socket{v.socket, con.socket} {
				ended := sock.chatState(chatID, "ended")
				if ended.str("end_text") != "Chat Ended" || ended.str("ended_by") != who || ended.str("end_reason") != "cancel" {
					t.Fatalf("ended chat = %v", ended)
				}
			}
			v.message("Chat Ended")
			con.message("Chat Ended")

			// a new message after the end starts a new chat
			v.say("One more question")
			if v.chatID == chatID {
				t.Fatal("a message after the end went to the ended chat")
			}
		})
	}
}
