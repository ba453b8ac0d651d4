package app_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/config"
)

func shortTimeouts(c *config.Config) {
	c.InactivityTimeout = 60 * time.Second
	c.LeftTimeout = 30 * time.Second
	c.PresenceGrace = 10 * time.Second
}

const inactivityText = "Due to inactivity, chat has ended"

// takenChat: a visitor chat on /demo/ that the admin took, with both sockets.
func takenChat(t *testing.T, s *server) (*operator, *console, *widget) {
	admin := s.firstAdmin()
	v := s.visitor("/demo/")
	v.say("hello")
	admin.take(v.chatID)
	con := admin.console(nil, true)
	con.message("hello")
	return admin, con, v
}

// Inactivity counts from the visitor's last message (or the start); an
// operator's message does not reset it. The end reaches both sides and the
// grid with the placeholder.
func TestInactivityEndsChat(t *testing.T) {
	s := startServer(t, shortTimeouts)
	_, con, v := takenChat(t, s)
	s.advance(40 * time.Second)
	v.say("still thinking")             // resets: ends at 40+60 = 100 s
	con.say(v.chatID, "take your time") // does not reset
	s.advance(59 * time.Second)         // 99 s
	if c, _ := con.o.chat(v.chatID); c.State != "active" {
		t.Fatalf("ended %v before the visitor's 60 s were up", c.State)
	}
	s.advance(time.Second) // 100 s
	for _, sock := range []*socket{v.socket, con.socket} {
		c := sock.chatState(v.chatID, "ended")
		if c.str("end_text") != inactivityText || c.str("end_reason") != "inactivity" || c.str("ended_by") != "system" {
			t.Fatalf("ended chat = %v", c)
		}
	}
	v.message(inactivityText)
	con.message(inactivityText)
	if row := rowOf(s.batch(con), v.visitorID()); row.str("status") != inactivityText {
		t.Fatalf("grid row = %v", row)
	}
}

// A visitor who leaves: once the presence grace has passed, the chat stays
// open for the left timeout and the operator sees "Visitor left the site"
// with a deadline; back in time, the chat and its history are there; not
// back, it ends with the inactivity placeholder.
func TestVisitorLeftAndBack(t *testing.T) {
	s := startServer(t, shortTimeouts)
	_, con, v := takenChat(t, s)
	id := v.visitorID()
	v.ws.Close()
	waitFor(t, "the server to see the tab go", func() bool { return s.app.OpenTabs(id) == 0 })
	closedAt := s.clock.Now()
	s.advance(10 * time.Second) // the presence grace: now they have left
	left := con.next("visitor left", func(f frame) bool {
		return f.str("type") == "chat" && !f.obj("chat")["visitor_present"].(bool)
	}).obj("chat")
	leftAt := closedAt.Add(10 * time.Second) // the countdown starts after the grace
	if left.str("state") != "active" || left.str("visitor_left_at") != leftAt.UTC().Format("2006-01-02T15:04:05.000Z") ||
		left.str("ends_at") != leftAt.Add(30*time.Second).UTC().Format("2006-01-02T15:04:05.000Z") {
		t.Fatalf("left chat = %v (last tab closed at %v)", left, closedAt)
	}
	con.message("Visitor left the site")

	s.advance(15 * time.Second) // back in time
	v.connect("/demo/", "pv-back")
	if c := v.welcome.obj("chat"); c.num("id") != v.chatID || c.str("state") != "active" {
		t.Fatalf("back: chat %v", c)
	}
	if got := strings.Join(bodies(wrap(v.welcome.list("messages"))), "|"); got != "hello|Visitor left the site|Visitor returned to the site" {
		t.Fatalf("history after return = %q", got)
	}
	con.message("Visitor returned to the site")
	s.advance(time.Hour - 30*time.Second)
	// back on the site and silent: inactivity still ends it
	if c := con.chatState(v.chatID, "ended"); c.str("end_reason") != "inactivity" {
		t.Fatalf("chat = %v", c)
	}

	// not back in time: ends, with the inactivity placeholder
	s2 := startServer(t, shortTimeouts)
	_, con2, v2 := takenChat(t, s2)
	v2.ws.Close()
	waitFor(t, "the server to see the tab go", func() bool { return s2.app.OpenTabs(v2.visitorID()) == 0 })
	s2.advance(10 * time.Second) // the grace: gone now
	con2.message("Visitor left the site")
	s2.advance(29 * time.Second)
	if c, _ := con2.o.chat(v2.chatID); c.State != "active" {
		t.Fatal("ended before the left timeout")
	}
	s2.advance(time.Second)
	c := con2.chatState(v2.chatID, "ended")
	if c.str("end_reason") != "left" || c.str("end_text") != inactivityText {
		t.Fatalf("chat = %v", c)
	}
}

// Deadlines are stored: a restart between the last message and the
// deadline still ends the chat on time; a restart past the deadline ends it
// at start-up.
func TestDeadlinesSurviveRestart(t *testing.T) {
	t.Run("restart before the deadline", func(t *testing.T) {
		s := startServer(t, shortTimeouts)
		admin, _, v := takenChat(t, s)
		s.advance(30 * time.Second)
		s.restart()
		v.connect("/demo/", "pv-again") // the visitor is still on the site
		s.advance(29 * time.Second)
		if c, _ := admin.chat(v.chatID); c.State != "active" {
			t.Fatal("ended early after the restart")
		}
		s.advance(time.Second)
		if c := v.chatState(v.chatID, "ended"); c.str("end_text") != inactivityText {
			t.Fatalf("chat = %v", c)
		}
	})
	t.Run("restart after the deadline", func(t *testing.T) {
		s := startServer(t, shortTimeouts)
		admin, _, v := takenChat(t, s)
		if err := s.app.Close(); err != nil {
			t.Fatal(err)
		}
		s.advance(5 * time.Minute) // the server is down past the deadline
		s.boot()
		c, msgs := admin.chat(v.chatID)
		if c.State != "ended" || c.EndReason == nil || *c.EndReason != "inactivity" || msgs[len(msgs)-1].Body != inactivityText {
			t.Fatalf("after a restart past the deadline: %+v %+v", c, msgs)
		}
	})
}

// A Cancel racing the inactivity timer ends the chat once, with one reason.
func TestCancelRacingTimerEndsOnce(t *testing.T) {
	for i := 0; i < 20; i++ {
		s := startServer(t, shortTimeouts)
		admin, _, v := takenChat(t, s)
		s.advance(59 * time.Second)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); s.advance(time.Second) }()
		go func() { defer wg.Done(); admin.do("POST", "/api/chats/"+itoa(v.chatID)+"/end", nil, nil) }()
		wg.Wait()
		_, msgs := admin.chat(v.chatID)
		ends := 0
		for _, m := range msgs {
			if m.Author == "system" && (m.Body == "Chat Ended" || m.Body == inactivityText) {
				ends++
			}
		}
		if ends != 1 {
			t.Fatalf("round %d: %d end lines: %+v", i, ends, msgs)
		}
		s.app.Close()
	}
}

// Shortening the inactivity timeout in Settings: the visitor's next message
// in an active chat sets the shorter deadline, and the chat ends then — the
// timer is woken for a deadline that moved earlier.
func TestShortenedInactivityEndsOnTime(t *testing.T) {
	s := startServer(t)
	admin, con, v := takenChat(t, s)
	admin.patchSettings(map[string]any{"inactivity_timeout_seconds": 4})
	v.say("last words")
	s.advance(3 * time.Second)
	if c, _ := admin.chat(v.chatID); c.State != "active" {
		t.Fatalf("3 s after the last visitor message under a 4 s timeout the chat is %s", c.State)
	}
	s.advance(time.Second)
	if c := con.chatState(v.chatID, "ended"); c.str("end_reason") != "inactivity" {
		t.Fatalf("chat = %v", c)
	}
}

// A visitor's retry of a message stored just before the chat ended (the ack
// was lost) is acknowledged with the stored message: no new chat is started
// with it.
func TestRetryAfterChatEndedIsStoredOnce(t *testing.T) {
	s := startServer(t)
	admin, _, v := takenChat(t, s)
	first := v.sayWithID("Are you still there?", "retry-1")
	admin.end(v.chatID)
	again := v.sayWithID("Are you still there?", "retry-1")
	if again.num("chat_id") != first.num("chat_id") || again.num("seq") != first.num("seq") {
		t.Fatalf("retry acked as %v, want %v", again, first)
	}
	var list struct {
		Chats []map[string]any `json:"chats"`
	}
	admin.mustDo("GET", "/api/chats?visitor_id="+itoa(v.visitorID()), nil, 200, &list)
	if len(list.Chats) != 1 {
		t.Fatalf("the visitor has %d chats, want 1: %v", len(list.Chats), list.Chats)
	}
}
