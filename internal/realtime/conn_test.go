package realtime

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
	"outputdesk/internal/testwait"
)

// The server pings every pingEvery; a pong pushes the read limit back, so
// a peer that only answers pings stays open past readTimeout.
func TestPingSentAndAnswered(t *testing.T) {
	s := newTestServer(t)
	p, c, _ := s.visitor(true)
	for range 4 { // 100 s of silence but for pongs: well past readTimeout
		s.advance(c, pingEvery)
		p.awaitPing()
		want := s.clock.Now().Add(readTimeout)
		waitFor(t, "the server to take the pong", func() bool { return c.limits.when(readLimit).Equal(want) })
	}
	if got := p.roundTrip(); len(got) != 0 {
		t.Fatalf("unexpected frames: %v", got)
	}
	if c.limits.expired(readLimit) || c.limits.expired(writeLimit) {
		t.Fatal("a limit expired on a socket that answers")
	}
}

// A peer heard nothing from — no frame, no pong — for readTimeout is closed.
func TestReadDeadlineClosesSilentPeer(t *testing.T) {
	s := newTestServer(t)
	p, c, _ := s.visitor(false)
	s.advance(c, readTimeout-time.Second)
	p.awaitPing() // sent, not answered
	if c.limits.expired(readLimit) {
		t.Fatalf("closed after %v of silence, before readTimeout", readTimeout-time.Second)
	}
	s.advance(c, time.Second)
	s.awaitTabClosed()
	p.awaitClosed()
}

// Any frame counts as hearing from the peer: one that talks but does not
// answer pings stays open past readTimeout.
func TestReadDeadlineCountsFrames(t *testing.T) {
	s := newTestServer(t)
	p, c, _ := s.visitor(false)
	for range 4 { // 100 s
		s.advance(c, pingEvery)
		if got := p.roundTrip(); len(got) != 0 {
			t.Fatalf("unexpected frames: %v", got)
		}
	}
	if c.limits.expired(readLimit) {
		t.Fatal("the read limit expired on a socket that talks")
	}
}

// hello must come within helloTimeout; a socket that says nothing is
// closed with 4400.
func TestHelloMustComeInTime(t *testing.T) {
	s := newTestServer(t)
	p := s.dial(true)
	c := s.conn(s.accepted())
	waitFor(t, "the server to wait for hello", func() bool { return !c.limits.when(readLimit).IsZero() })
	s.clock.Advance(helloTimeout - time.Second)
	if c.limits.expired(readLimit) {
		t.Fatal("closed before helloTimeout")
	}
	s.clock.Advance(time.Second)
	if code := p.awaitClosed(); code != CloseBadHello {
		t.Fatalf("closed with %d (%v), want %d", code, p.readErr, CloseBadHello)
	}
}

// A write that does not get out within writeTimeout (the peer reads
// nothing) closes the socket; an idle socket has no write limit.
func TestWriteDeadlineClosesStalledPeer(t *testing.T) {
	s := newTestServer(t)
	_, c, sc := s.visitor(true)
	s.advance(c, writeTimeout+time.Second) // idle: nothing is being written
	if c.limits.expired(writeLimit) {
		t.Fatal("the write limit expired on an idle socket")
	}
	sc.stall()
	s.invite(1, "Can I help?")
	sc.awaitBlocked(t)
	s.clock.Advance(writeTimeout - time.Second)
	if c.limits.expired(writeLimit) {
		t.Fatal("closed before writeTimeout")
	}
	s.clock.Advance(time.Second)
	s.awaitTabClosed()
}

// A socket that lets more than maxQueue frames wait is closed with 4408
// once it takes frames again; nothing queued after the cap is sent.
func TestSlowConsumerCap(t *testing.T) {
	s := newTestServer(t)
	p, _, sc := s.visitor(true)
	sc.stall()
	s.invite(1, "first")
	sc.awaitBlocked(t) // the writer holds "first"; the rest wait in the queue
	for i := range maxQueue + 1 {
		s.invite(int64(i+2), "queued")
	}
	s.invite(9999, "after the cap")
	sc.unstall()
	if f := p.nextType("invitation"); f.obj("invitation").str("text") != "first" {
		t.Fatalf("first frame = %v", f)
	}
	expired, stop := testwait.Expiry(t)
	defer stop()
	for n := 0; ; n++ {
		select {
		case f := <-p.frames:
			if f.obj("invitation").str("text") == "after the cap" {
				t.Fatalf("a frame queued after the cap arrived (after %d queued ones): the cap did not close the socket", n)
			}
			if n > 0 {
				t.Fatalf("frame %d after the first arrived: %v; the cap should have dropped the queue", n+1, f)
			}
		case <-p.closed:
			if code := p.code.Load(); code != CloseTooSlow {
				t.Fatalf("closed with %d (%v), want %d", code, p.readErr, CloseTooSlow)
			}
			return
		case <-expired:
			t.Fatal("gave up waiting for the socket to close with 4408")
		}
	}
}

// Events published after the socket subscribed and before its welcome
// wait for the welcome: the welcome is the first frame, on either socket.
func TestEventsHeldUntilWelcome(t *testing.T) {
	t.Run("visitor", func(t *testing.T) {
		s := newTestServer(t)
		gate, asked := make(chan struct{}), make(chan struct{})
		s.svc.mu.Lock()
		s.svc.stateGate, s.svc.stateAsked = gate, asked
		s.svc.mu.Unlock()
		p := s.dial(true)
		p.send(map[string]any{"type": "hello", "token": "vt_test", "page": map[string]any{"url": testOrigin + "/"}})
		await(t, "the server to ask for the visitor's state", asked)
		s.invite(1, "before the welcome")
		close(gate)
		p.nextType("welcome")
		if f := p.nextType("invitation"); f.obj("invitation").str("text") != "before the welcome" {
			t.Fatalf("invitation = %v", f)
		}
	})
	t.Run("console", func(t *testing.T) {
		s := newTestServer(t)
		gate, asked := make(chan struct{}), make(chan struct{})
		s.cons.mu.Lock()
		s.cons.stateGate, s.cons.stateAsked = gate, asked
		s.cons.mu.Unlock()
		p := s.dialConsole()
		p.send(map[string]any{"type": "hello"})
		await(t, "the server to ask for the console's state", asked)
		anna := desk.Operator{ID: 4, SiteID: 1, Name: "Anna Berg", Role: "operator", PriorityLevel: 2, ChatLimit: 3}
		s.publish(bus.SiteSubject(1), bus.Event{Kind: bus.KindOperator, SiteID: 1, Operator: &anna, Status: desk.StatusOnline})
		close(gate)
		p.nextType("welcome")
		if f := p.nextType("operator"); f.obj("operator").str("name") != "Anna Berg" {
			t.Fatalf("operator = %v", f)
		}
	})
}

// A new visitor (a hello without a known token) has no chat and no
// invitation: its welcome comes without asking the application for them.
func TestNewVisitorWelcomedWithoutState(t *testing.T) {
	s := newTestServer(t)
	chat := desk.Chat{ID: testChatID, SiteID: 1, VisitorID: testVisitor.ID, State: desk.ChatActive, StartedBy: desk.AuthorVisitor}
	asked := make(chan struct{})
	s.svc.mu.Lock()
	s.svc.state, s.svc.stateAsked = VisitorState{Chat: &chat}, asked
	s.svc.mu.Unlock()
	p := s.dial(true)
	p.send(map[string]any{"type": "hello", "page": map[string]any{"url": testOrigin + "/"}})
	w := p.nextType("welcome")
	if w["chat"] != nil || w.str("token") != "vt_test" {
		t.Fatalf("welcome = %v, want the new token and no chat", w)
	}
	select {
	case <-asked:
		t.Fatal("the application was asked for a new visitor's state")
	default:
	}
}

// Each message of a watched chat reaches a socket once, in seq order:
// two live messages in a row arrive once each, a repeated one is dropped,
// and one after a gap first brings the gap from the store.
func TestSeqWatermark(t *testing.T) {
	s := newTestServer(t)
	chat := desk.Chat{ID: testChatID, SiteID: 1, VisitorID: testVisitor.ID, State: desk.ChatWaiting, StartedBy: desk.AuthorVisitor}
	s.svc.mu.Lock()
	s.svc.state = VisitorState{Chat: &chat}
	s.svc.mu.Unlock()
	p, _, _ := s.visitor(true)
	if got := p.roundTrip(); len(got) != 0 { // the welcome's catch-up (nothing stored yet) is done
		t.Fatalf("frames after the welcome: %v", got)
	}

	s.message(1, true)
	s.message(2, true)
	s.publishAgain(1)
	s.message(3, false) // stored, its event lost
	s.message(4, true)
	var seqs []string
	for _, f := range p.roundTrip() {
		if f.str("type") != "message" {
			t.Fatalf("unexpected frame %v", f)
		}
		seqs = append(seqs, fmt.Sprint(f.obj("message").num("seq")))
	}
	if got := fmt.Sprint(seqs); got != "[1 2 3 4]" {
		t.Fatalf("seqs received = %s, want [1 2 3 4]", got)
	}
}

// publishAgain publishes a stored message's event once more (a bus may
// deliver twice; a resume may overlap a live event).
func (s *testServer) publishAgain(seq int64) {
	s.t.Helper()
	s.svc.mu.Lock()
	m := s.svc.store[testChatID][seq-1]
	s.svc.mu.Unlock()
	s.publish(bus.ChatSubject(testChatID), bus.Event{Kind: bus.KindMessage, SiteID: 1, Message: &m})
}

// The server closes a connection only once it has read the client's
// close frame: closing it over frames the client sent and the server did
// not read makes the kernel answer with a reset, which may destroy the
// close frame on its way (the client sees 1006, not the code). The client
// here answers the close frame late, after one more frame of its own; the
// server must have read every byte the client wrote when it closes.
// Each way a socket is closed: refused by its reader (closeNow), from its
// queue (CloseWith: a logout, 4408) and by the hub (CloseAll, Refuse).
func TestCloseWaitsForTheClientsCloseFrame(t *testing.T) {
	for _, tc := range []struct {
		name   string
		origin string
		close  func(s *testServer, c *Conn)
		want   int
	}{
		{"refused", "https://evil.example", nil, CloseForbidden},
		{"CloseWith", testOrigin, func(_ *testServer, c *Conn) { c.CloseWith(CloseUnauthorized, "logged out") }, CloseUnauthorized},
		{"CloseAll", testOrigin, func(s *testServer, _ *Conn) { s.hub.CloseAll() }, websocket.CloseServiceRestart},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			p := s.dialWith(http.Header{"Origin": {tc.origin}}, peerOptions{answerPings: true, holdCloseReply: true})
			sc := s.accepted()
			p.send(map[string]any{"type": "hello", "page": map[string]any{"url": testOrigin + "/"}})
			if tc.close != nil {
				p.nextType("welcome")
				tc.close(s, s.conn(sc))
			}
			if code := p.awaitClosed(); code != tc.want {
				t.Fatalf("close code %d (%v), want %d", code, p.readErr, tc.want)
			}
			// The server has sent its close frame; its next step is to wait
			// for the answer (bounding its reads by closeWait) or, wrongly,
			// to close the connection. After that step the client sends one
			// more frame, then the answer; a write fails only if the server
			// has closed the connection already.
			expired, stop := testwait.Expiry(t)
			defer stop()
			select {
			case <-sc.bound:
			case <-sc.gone:
			case <-expired:
				t.Fatal("gave up waiting for the server's step after its close frame")
			}
			err := p.ws.WriteJSON(map[string]any{"type": "page", "page": map[string]any{"url": testOrigin + "/late"}})
			if err == nil {
				err = p.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(tc.want, ""), time.Time{})
			}
			wrote := p.wrote.Load()
			await(t, "the server to close the connection", sc.gone)
			if read := sc.readAtClose.Load(); read != wrote || err != nil {
				t.Fatalf("the server closed the connection before the client's close frame: it had read %d of the %d bytes the client wrote (writing: %v)", read, wrote, err)
			}
		})
	}
}

// CloseAll ends every socket even when one of them is stalled (its close
// frame cannot get out): the others are not held up behind it, and every
// reader returns, so a shutdown completes.
func TestCloseAllWithStalledSocket(t *testing.T) {
	s := newTestServer(t)
	_, _, stalled := s.visitor(true)
	stalled.stall()
	s.invite(1, "stuck")
	stalled.awaitBlocked(t)
	p, _, _ := s.visitor(true)
	s.hub.CloseAll()
	if code := p.awaitClosed(); code != websocket.CloseServiceRestart {
		t.Fatalf("closed with %d, want %d", code, websocket.CloseServiceRestart)
	}
	s.awaitServed()
}
