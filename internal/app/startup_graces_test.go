package app_test

import (
	"testing"
	"time"

	"outputdesk/internal/config"
)

// After a start, an operator who holds chats and whose console does not
// come back has the operator grace, counted from the start, to reconnect;
// then their chats are handed back. One who comes back within it keeps
// them.
func TestOperatorStartupGrace(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.OperatorGrace = 30 * time.Second })
	admin := s.firstAdmin()
	john, anna := admin.addOperator("John Mathews", 1, 2), admin.addOperator("Anna Berg", 1, 2)
	forJohn := s.visitor("/demo/")
	forJohn.say("for John")
	john.take(forJohn.chatID)
	forAnna := s.visitor("/demo/pricing")
	forAnna.say("for Anna")
	anna.take(forAnna.chatID)

	s.restart()
	forJohn.connect("/demo/", "pv-john-again") // the visitors are still on the site
	forAnna.connect("/demo/pricing", "pv-anna-again")
	watch := admin.console(nil, false)
	s.advance(29 * time.Second)
	john.console(nil, false) // back within the grace
	if c, _ := admin.chat(forAnna.chatID); c.State != "active" || c.Operator == nil || c.Operator.Name != "Anna Berg" {
		t.Fatalf("Anna's chat before the grace ran out: %s %+v", c.State, c.Operator)
	}
	s.advance(time.Second)
	back := watch.chatState(forAnna.chatID, "waiting")
	if r := lastRouting(back); r.str("kind") != "handed_back" {
		t.Fatalf("Anna's chat after the grace: routing %v", back.list("routing"))
	}
	forAnna.message("Anna Berg went offline. The chat is waiting for another operator.")
	if c, _ := admin.chat(forJohn.chatID); c.State != "active" || c.Operator == nil || c.Operator.Name != "John Mathews" {
		t.Fatalf("John's chat after the grace: %s %+v", c.State, c.Operator)
	}
}

// After a start, a visitor with an open chat whose tab does not come back
// has left once the presence grace, counted from the start, has passed:
// the chat shows it, and its left-site countdown starts then. One who comes
// back within it has not left.
func TestVisitorStartupGrace(t *testing.T) {
	s := startServer(t, shortTimeouts)
	admin := s.firstAdmin()
	gone := s.visitor("/demo/")
	gone.say("I will not be back")
	admin.take(gone.chatID)
	back := s.visitor("/demo/pricing")
	back.say("I will be back")
	admin.take(back.chatID)

	s.restart()
	startedAt := s.clock.Now()
	con := admin.console(nil, false) // the admin's console: its chats are watched
	s.advance(9 * time.Second)
	back.connect("/demo/pricing", "pv-back-again") // within the grace
	if c, _ := admin.chat(gone.chatID); !c.VisitorPresent {
		t.Fatal("the visitor counted as gone before the grace ran out")
	}
	s.advance(time.Second)
	left := con.next("the visitor who did not come back to have left", func(f frame) bool {
		c := f.obj("chat")
		return f.str("type") == "chat" && c.num("id") == gone.chatID && c["visitor_present"] == false
	}).obj("chat")
	leftAt := startedAt.Add(10 * time.Second)
	if left.str("visitor_left_at") != leftAt.UTC().Format("2006-01-02T15:04:05.000Z") ||
		left.str("ends_at") != leftAt.Add(30*time.Second).UTC().Format("2006-01-02T15:04:05.000Z") {
		t.Fatalf("left chat = %v (server started at %v)", left, startedAt)
	}
	con.message("Visitor left the site")
	if c, _ := admin.chat(back.chatID); !c.VisitorPresent || c.State != "active" {
		t.Fatalf("the visitor who came back: present %v, state %s", c.VisitorPresent, c.State)
	}
}
