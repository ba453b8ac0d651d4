package realtime

// The harness for the socket tests: a hub on a fake clock behind a real
// HTTP server on a random port, a visitor service that does only what a
// test tells it, and gorilla clients. The server's connections can be made
// to stall on write, as a peer that stops reading does once the buffers
// between are full. Every wait is for an event, bounded only by go test's
// -timeout (internal/testwait); time on the hub's clock moves only when a
// test advances it.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/testwait"
)

var t0 = time.Date(2026, 11, 24, 15, 4, 5, 0, time.UTC)

const (
	testSiteKey = "pk_test"
	testOrigin  = "https://shop.example"
	testChatID  = 12
)

var (
	testVisitor  = desk.Visitor{ID: 5, SiteID: 1, Name: "Visitor K3F9QD"}
	otherVisitor = desk.Visitor{ID: 6, SiteID: 1, Name: "Visitor Q7M2XA"}
	testOperator = desk.Operator{ID: 3, SiteID: 1, Name: "John Mathews", Role: "operator", PriorityLevel: 1, ChatLimit: 2}
)

// testConsoleHost is the console's public host, not the test server's
// address: the console socket checks Origin against it only.
const testConsoleHost = "desk.example.com"

type testServer struct {
	t     *testing.T
	clock *clock.Fake
	bus   *bus.Memory
	hub   *Hub
	svc   *fakeVisitors
	cons  *fakeConsoles
	http  *httptest.Server
	conns chan *stallConn // the server's side of each connection, as accepted
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{t: t, clock: clock.NewFake(t0), bus: bus.NewMemory(), conns: make(chan *stallConn, 256)}
	s.svc = &fakeVisitors{clock: s.clock, store: map[int64][]desk.Message{}, closed: make(chan uint64, 256),
		site: desk.Site{ID: 1, Key: testSiteKey, AllowedOrigins: []string{testOrigin}}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s.hub = NewHub(s.bus, s.svc, log, s.clock.Now, s.clock, 0)
	mux := http.NewServeMux()
	s.cons = &fakeConsoles{clock: s.clock, base: "http://" + testConsoleHost}
	mux.Handle("GET /ws/visitor", s.hub.VisitorHandler(s.svc))
	mux.Handle("GET /ws/console", s.hub.ConsoleHandler(s.cons))
	s.http = httptest.NewUnstartedServer(mux)
	s.http.Listener = &stallListener{Listener: s.http.Listener, conns: s.conns}
	s.http.Start()
	t.Cleanup(func() {
		s.hub.CloseAll()
		if !t.Failed() { // a failed wait has used up the deadline
			s.awaitServed()
		}
		s.http.Close()
	})
	return s
}

// awaitServed waits until every socket's reader has returned.
func (s *testServer) awaitServed() {
	s.t.Helper()
	done := make(chan struct{})
	go func() { s.hub.serving.Wait(); close(done) }()
	await(s.t, "every socket's reader to return", done)
}

// dial opens a visitor socket with the site's origin; it sends nothing.
func (s *testServer) dial(answerPings bool) *peer {
	s.t.Helper()
	return s.dialWith(http.Header{"Origin": {testOrigin}}, peerOptions{answerPings: answerPings})
}

// peerOptions are how a client behaves.
type peerOptions struct {
	answerPings bool
	// holdCloseReply: the client takes the server's close frame without
	// answering it; the test answers when it chooses.
	holdCloseReply bool
}

func (s *testServer) dialWith(h http.Header, opts peerOptions) *peer {
	s.t.Helper()
	return s.dialPath("/ws/visitor?site_key="+testSiteKey, h, opts)
}

// dialConsole opens a console socket from a page of the public URL.
func (s *testServer) dialConsole() *peer {
	s.t.Helper()
	return s.dialPath("/ws/console", http.Header{"Origin": {s.cons.base}}, peerOptions{answerPings: true})
}

func (s *testServer) dialPath(path string, h http.Header, opts peerOptions) *peer {
	s.t.Helper()
	u := "ws" + strings.TrimPrefix(s.http.URL, "http") + path
	p := &peer{t: s.t, frames: make(chan frame, 4096), pings: make(chan struct{}, 16), closed: make(chan struct{})}
	// no handshake timeout of its own: the test's deadline bounds it
	d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{Conn: c, wrote: &p.wrote}, nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	if at := testwait.GiveUpAt(s.t); !at.IsZero() {
		ctx, cancel = context.WithDeadline(context.Background(), at)
	}
	defer cancel()
	ws, _, err := d.DialContext(ctx, u, h)
	if err != nil {
		s.t.Fatalf("dial: %v", err)
	}
	p.ws = ws
	ws.SetPingHandler(func(data string) error {
		p.pings <- struct{}{}
		if !opts.answerPings {
			return nil
		}
		return ws.WriteControl(websocket.PongMessage, []byte(data), time.Time{})
	})
	if opts.holdCloseReply {
		ws.SetCloseHandler(func(int, string) error { return nil })
	}
	ws.SetReadLimit(0)
	go p.read()
	s.t.Cleanup(func() { ws.Close() })
	return p
}

// visitor opens a socket and says hello; it returns once the welcome came
// and the server reads the frames after hello: its ping timer is armed and
// its read limit is readTimeout from now.
func (s *testServer) visitor(answerPings bool) (*peer, *Conn, *stallConn) {
	s.t.Helper()
	p := s.dial(answerPings)
	sc := s.accepted()
	p.send(map[string]any{"type": "hello", "token": "vt_test", "page": map[string]any{"url": testOrigin + "/product"}})
	p.nextType("welcome")
	c := s.conn(sc)
	want := s.clock.Now().Add(readTimeout)
	waitFor(s.t, "the server to read after hello", func() bool {
		return c.limits.heartbeat() && c.limits.when(readLimit).Equal(want)
	})
	return p, c, sc
}

// open is every socket the hub holds.
func (s *testServer) open() []*Conn {
	s.hub.mu.RLock()
	defer s.hub.mu.RUnlock()
	var out []*Conn
	for c := range s.hub.conns {
		out = append(out, c)
	}
	return out
}

// accepted is the server's side of the next connection accepted.
func (s *testServer) accepted() *stallConn {
	s.t.Helper()
	expired, stop := testwait.Expiry(s.t)
	defer stop()
	select {
	case c := <-s.conns:
		return c
	case <-expired:
		s.t.Fatal("gave up waiting for the server to accept a connection")
		return nil
	}
}

// conn is the hub's socket on the server's side of a connection, once the
// hub holds it.
func (s *testServer) conn(sc *stallConn) *Conn {
	s.t.Helper()
	var c *Conn
	waitFor(s.t, "the hub to hold the socket", func() bool {
		s.hub.mu.RLock()
		defer s.hub.mu.RUnlock()
		for x := range s.hub.conns {
			if x.ws.NetConn() == net.Conn(sc) {
				c = x
			}
		}
		return c != nil
	})
	return c
}

// advance moves the socket clock once c's writer is idle. A frame the
// client has received may still be the writer's until it finds the queue
// empty and lifts the write limit; on the wall clock that moment is
// nothing, but a fake clock that jumps ahead then would expire the limit.
func (s *testServer) advance(c *Conn, d time.Duration) {
	s.t.Helper()
	waitFor(s.t, "the socket's writer to be idle", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return !c.writing
	})
	s.clock.Advance(d)
}

// publish sends an event on subject through the bus, as the app does.
func (s *testServer) publish(subject string, e bus.Event) {
	s.t.Helper()
	if err := s.bus.Publish(context.Background(), subject, e.Encode()); err != nil {
		s.t.Fatal(err)
	}
}

// invite publishes an open invitation with text to the test visitor.
func (s *testServer) invite(id int64, text string) {
	s.t.Helper()
	inv := desk.Invitation{ID: id, SiteID: 1, VisitorID: testVisitor.ID, Kind: desk.InvitationManual, Text: text, State: desk.InvitationOpen, CreatedAt: s.clock.Now()}
	s.publish(bus.SiteSubject(1), bus.Event{Kind: bus.KindInvitation, SiteID: 1, Invitation: &inv})
}

// message stores message seq of the test chat and, if live, publishes it.
func (s *testServer) message(seq int64, live bool) {
	s.t.Helper()
	m := desk.Message{ChatID: testChatID, Seq: seq, Author: desk.AuthorVisitor, Body: "m" + itoa(seq), ClientID: "c" + itoa(seq), CreatedAt: s.clock.Now()}
	s.svc.mu.Lock()
	s.svc.store[testChatID] = append(s.svc.store[testChatID], m)
	s.svc.mu.Unlock()
	if live {
		s.publish(bus.ChatSubject(testChatID), bus.Event{Kind: bus.KindMessage, SiteID: 1, Message: &m})
	}
}

// awaitTabClosed waits for the server to shut a visitor socket down.
func (s *testServer) awaitTabClosed() {
	s.t.Helper()
	expired, stop := testwait.Expiry(s.t)
	defer stop()
	select {
	case <-s.svc.closed:
	case <-expired:
		s.t.Fatal("gave up waiting for the server to shut the socket down")
	}
}

// --- the visitor service ---------------------------------------------------

// fakeVisitors is the application as the visitor socket sees it. Every
// visitor is testVisitor; state is what a test sets, and stateGate, when
// set, holds VisitorState until the test closes it.
type fakeVisitors struct {
	clock *clock.Fake

	mu         sync.Mutex
	site       desk.Site
	state      VisitorState
	stateGate  chan struct{}
	stateAsked chan struct{}
	store      map[int64][]desk.Message

	closed chan uint64 // tabs the server closed
}

func (f *fakeVisitors) SiteByKey(_ context.Context, key string) (desk.Site, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if key != f.site.Key {
		return desk.Site{}, desk.Errorf(desk.CodeNotFound, "no such site")
	}
	return f.site, nil
}

// IdentifyVisitor: "vt_test" is the test visitor's token. A hello that
// carries it is the visitor coming back; otherToken is another visitor
// coming back; any other is a new visitor, given the test visitor's token.
func (f *fakeVisitors) IdentifyVisitor(_ context.Context, _ desk.Site, token, _ string, _ protocol.PageIn) (desk.Visitor, string, error) {
	if token == otherToken {
		return otherVisitor, otherToken, nil
	}
	return testVisitor, "vt_test", nil
}

func (f *fakeVisitors) VisitorState(context.Context, desk.Visitor, int64, int64) (VisitorState, error) {
	f.mu.Lock()
	st, gate, asked := f.state, f.stateGate, f.stateAsked
	f.mu.Unlock()
	if asked != nil {
		close(asked)
	}
	if gate != nil {
		<-gate
	}
	return st, nil
}

func (f *fakeVisitors) TabOpened(desk.Visitor, uint64, protocol.PageIn, bool) {}
func (f *fakeVisitors) TabPage(desk.Visitor, uint64, protocol.PageIn, bool)   {}
func (f *fakeVisitors) TabClosed(_ desk.Visitor, tab uint64)                  { f.closed <- tab }

func (f *fakeVisitors) VisitorSend(context.Context, desk.Visitor, string, string) (desk.Message, error) {
	return desk.Message{}, desk.Errorf(desk.CodeForbidden, "not in these tests")
}

func (f *fakeVisitors) VisitorEnd(context.Context, desk.Visitor) (desk.Chat, error) {
	return desk.Chat{}, desk.Errorf(desk.CodeNotFound, "no open chat")
}

func (f *fakeVisitors) DismissInvitation(context.Context, desk.Visitor, int64) error {
	return desk.Errorf(desk.CodeNotFound, "no such invitation")
}

func (f *fakeVisitors) VisitorTyping(context.Context, desk.Visitor, bool, string) error {
	return desk.Errorf(desk.CodeNotFound, "no open chat")
}

func (f *fakeVisitors) LeaveMessage(context.Context, desk.Visitor, string, string, string) (desk.OfflineMessage, error) {
	return desk.OfflineMessage{}, desk.Errorf(desk.CodeInvalid, "not in these tests")
}

func (f *fakeVisitors) OperatorsOnline() bool       { return true }
func (f *fakeVisitors) CanMail() bool               { return false }
func (f *fakeVisitors) LauncherOffset() int         { return 0 }
func (f *fakeVisitors) Appearance() desk.Appearance { return desk.DefaultAppearance() }

func (f *fakeVisitors) EmailTranscript(context.Context, desk.Visitor, int64) error {
	return desk.Errorf(desk.CodeUnavailable, "not in these tests")
}

func (f *fakeVisitors) IdentifyAs(_ context.Context, v desk.Visitor, _, _ string) (desk.Visitor, error) {
	return v, desk.Errorf(desk.CodeInvalid, "not in these tests")
}

func (f *fakeVisitors) RateChat(context.Context, desk.Visitor, int64, string, string) error {
	return desk.Errorf(desk.CodeNotFound, "no such chat")
}

func (f *fakeVisitors) MessagePreview() bool { return false }
func (f *fakeVisitors) PreChat() protocol.PreChat {
	return protocol.PreChat{Name: "off", Email: "off", Question: "off"}
}
func (f *fakeVisitors) MaxMessageBytes() int { return 4096 }
func (f *fakeVisitors) Now() time.Time       { return f.clock.Now() }

// Messages serves resume from what message stored.
func (f *fakeVisitors) Messages(_ context.Context, chatID, afterSeq int64, limit int) ([]desk.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []desk.Message
	for _, m := range f.store[chatID] {
		if m.Seq > afterSeq && (limit == 0 || len(out) < limit) {
			out = append(out, m)
		}
	}
	return out, nil
}

// --- the console service --------------------------------------------------

// fakeConsoles is the application as the console socket sees it: every
// request is testOperator's; stateGate, when set, holds ConsoleState until
// the test closes it.
type fakeConsoles struct {
	clock *clock.Fake
	base  string

	mu         sync.Mutex
	stateGate  chan struct{}
	stateAsked chan struct{}
}

func (f *fakeConsoles) Authenticate(context.Context, *http.Request) (desk.Operator, desk.Session, error) {
	return testOperator, desk.Session{OperatorID: testOperator.ID}, nil
}

func (f *fakeConsoles) ConsoleState(context.Context, desk.Operator) (ConsoleState, error) {
	f.mu.Lock()
	gate, asked := f.stateGate, f.stateAsked
	f.mu.Unlock()
	if asked != nil {
		close(asked)
	}
	if gate != nil {
		<-gate
	}
	me := protocol.OperatorOf(testOperator, desk.StatusOnline, 0)
	return ConsoleState{Operator: me, Operators: []protocol.Operator{me}}, nil
}

func (f *fakeConsoles) ConsoleConnected(desk.Operator, desk.Session, *Conn) {}
func (f *fakeConsoles) ConsoleDisconnected(desk.Operator, *Conn)            {}

func (f *fakeConsoles) OperatorSend(context.Context, desk.Operator, int64, string, string) (desk.Message, error) {
	return desk.Message{}, desk.Errorf(desk.CodeForbidden, "not in these tests")
}

func (f *fakeConsoles) CheckWatch(context.Context, desk.Operator, int64) error {
	return desk.Errorf(desk.CodeNotFound, "not in these tests")
}

func (f *fakeConsoles) MarkRead(context.Context, desk.Operator, int64, int64) (int64, error) {
	return 0, desk.Errorf(desk.CodeNotFound, "not in these tests")
}

func (f *fakeConsoles) ReadPosition(context.Context, desk.Operator, int64) (int64, error) {
	return 0, nil
}

func (f *fakeConsoles) OperatorTyping(context.Context, desk.Operator, int64, bool) error {
	return desk.Errorf(desk.CodeNotFound, "not in these tests")
}

func (f *fakeConsoles) MaxMessageBytes() int      { return 4096 }
func (f *fakeConsoles) SubscribeVisitors(*Conn)   {}
func (f *fakeConsoles) UnsubscribeVisitors(*Conn) {}
func (f *fakeConsoles) Now() time.Time            { return f.clock.Now() }
func (f *fakeConsoles) BaseURL() string           { return f.base }

// --- connections that stall ------------------------------------------------

type stallListener struct {
	net.Listener
	conns chan *stallConn
}

func (l *stallListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	sc := &stallConn{Conn: c, blocked: make(chan struct{}, 1), gone: make(chan struct{}), bound: make(chan struct{})}
	l.conns <- sc
	return sc, nil
}

// stallConn is the server's side of a connection. Stalled, a write blocks
// until the connection is unstalled or closed, as a write to a peer that
// reads nothing does once the buffers are full.
type stallConn struct {
	net.Conn
	mu        sync.Mutex
	released  chan struct{} // nil: not stalled
	blocked   chan struct{} // a write has blocked
	gone      chan struct{} // closed by Close
	once      sync.Once
	bound     chan struct{} // closed when the server first bounds its reads
	boundOnce sync.Once
	read      atomic.Int64 // bytes read from the client
	// readAtClose is read when the server closed the connection.
	readAtClose atomic.Int64
}

func (c *stallConn) stall() {
	c.mu.Lock()
	c.released = make(chan struct{})
	c.mu.Unlock()
}

func (c *stallConn) unstall() {
	c.mu.Lock()
	if c.released != nil {
		close(c.released)
		c.released = nil
	}
	c.mu.Unlock()
}

func (c *stallConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	released := c.released
	c.mu.Unlock()
	if released != nil {
		select {
		case c.blocked <- struct{}{}:
		default:
		}
		select {
		case <-released:
		case <-c.gone:
			return 0, net.ErrClosed
		}
	}
	return c.Conn.Write(p)
}

// SetReadDeadline notes the first time the server bounds its reads by a
// time to come (the closing handshake does), rather than lifting the bound
// (net/http, on hijacking) or cutting reads short (a read limit expired).
func (c *stallConn) SetReadDeadline(t time.Time) error {
	if t.After(time.Now()) {
		c.boundOnce.Do(func() { close(c.bound) })
	}
	return c.Conn.SetReadDeadline(t)
}

func (c *stallConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func (c *stallConn) Close() error {
	c.once.Do(func() {
		c.readAtClose.Store(c.read.Load())
		close(c.gone)
	})
	return c.Conn.Close()
}

// countingConn is a client's connection that counts the bytes it wrote.
type countingConn struct {
	net.Conn
	wrote *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.wrote.Add(int64(n))
	return n, err
}

// awaitBlocked waits until a write has blocked on the stalled connection.
func (c *stallConn) awaitBlocked(t *testing.T) {
	t.Helper()
	expired, stop := testwait.Expiry(t)
	defer stop()
	select {
	case <-c.blocked:
	case <-expired:
		t.Fatal("gave up waiting for the server's write to block")
	}
}

// --- clients ---------------------------------------------------------------

type frame map[string]any

func (f frame) str(k string) string { s, _ := f[k].(string); return s }
func (f frame) num(k string) int64  { n, _ := f[k].(float64); return int64(n) }
func (f frame) obj(k string) frame  { m, _ := f[k].(map[string]any); return frame(m) }

// peer is a client socket that queues the frames and pings it receives.
type peer struct {
	t       *testing.T
	ws      *websocket.Conn
	frames  chan frame
	pings   chan struct{}
	closed  chan struct{} // closed once the reader stopped
	code    atomic.Int64  // the close code received, if any
	wrote   atomic.Int64  // bytes written to the connection
	readErr error         // why the reader stopped; read it after closed
	refs    int
}

func (p *peer) read() {
	defer close(p.closed)
	for {
		_, data, err := p.ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				p.code.Store(int64(ce.Code))
			}
			p.readErr = err
			return
		}
		var f frame
		if err := json.Unmarshal(data, &f); err != nil {
			p.t.Errorf("the server sent a frame that is not JSON: %s", data)
			continue
		}
		p.frames <- f
	}
}

func (p *peer) send(v any) {
	p.t.Helper()
	if err := p.ws.WriteJSON(v); err != nil {
		p.t.Fatalf("sending %v: %v", v, err)
	}
}

// next is the next frame; it fails if the socket closes first.
func (p *peer) next() frame {
	p.t.Helper()
	expired, stop := testwait.Expiry(p.t)
	defer stop()
	select {
	case f := <-p.frames:
		return f
	case <-p.closed:
		select {
		case f := <-p.frames:
			return f
		default:
		}
		p.t.Fatalf("the socket closed (code %d, %v) before the next frame", p.code.Load(), p.readErr)
	case <-expired:
		p.t.Fatal("gave up waiting for a frame")
	}
	return nil
}

func (p *peer) nextType(typ string) frame {
	p.t.Helper()
	f := p.next()
	if f.str("type") != typ {
		p.t.Fatalf("got %v, want a %s frame", f, typ)
	}
	return f
}

// roundTrip sends a frame the server answers with an error and returns
// every frame that came before that answer.
func (p *peer) roundTrip() []frame {
	p.t.Helper()
	p.refs++
	ref := "sync" + itoa(int64(p.refs))
	p.send(map[string]any{"type": "no.such.type", "ref": ref})
	var before []frame
	for {
		f := p.next()
		if f.str("type") == "error" && f.str("ref") == ref {
			return before
		}
		before = append(before, f)
	}
}

// awaitPing waits for the server's next ping.
func (p *peer) awaitPing() {
	p.t.Helper()
	expired, stop := testwait.Expiry(p.t)
	defer stop()
	select {
	case <-p.pings:
	case <-expired:
		p.t.Fatal("gave up waiting for a ping")
	}
}

// awaitClosed waits for the connection to end and returns the close code
// received (0 for none).
func (p *peer) awaitClosed() int {
	p.t.Helper()
	await(p.t, "the server to end the socket", p.closed)
	return int(p.code.Load())
}

// --- waiting ---------------------------------------------------------------

func await(t *testing.T, what string, done <-chan struct{}) {
	t.Helper()
	testwait.Await(t, what, done)
}

// waitFor polls what the server keeps to itself until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testwait.Until(t, what, cond)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
