package app_test

// The harness for integration tests: the real server on a random port with a
// real SQLite file, driven over real HTTP and WebSocket, on a fake clock the
// test advances (no test sleeps for a timeout). Every wait here is for an
// event, bounded only by go test's -timeout (wait_test.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/app"
	"outputdesk/internal/clock"
	"outputdesk/internal/config"
	"outputdesk/internal/protocol"
	"outputdesk/internal/testwait"
)

// start is the fake clock's start: now, because cookie jars judge cookie
// expiry by the wall clock.
var start = time.Now().UTC().Truncate(time.Second)

type server struct {
	t     *testing.T
	app   *app.App
	clock *clock.Fake
	cfg   config.Config
	ctx   context.Context // requests wait for their answer until the test's deadline
	base  string
	out   *bytes.Buffer
	logs  *testwait.Log // the server's debug log, printed if the test fails
	key   string        // the site key, for a node in another process (app nil)
}

// siteKey is the site key the widget's snippet carries.
func (s *server) siteKey() string {
	if s.app != nil {
		return s.app.Settings().SiteKey
	}
	return s.key
}

// startServer runs a fresh server; change adjusts its config.
func startServer(t *testing.T, change ...func(*config.Config)) *server {
	t.Helper()
	// New visitors are written at once: the wait for others to share
	// their commit is on the fake clock (TestNewVisitorsShareACommit).
	cfg, err := config.Load([]string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--new-visitor-wait", "0"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range change {
		c(&cfg)
	}
	s := &server{t: t, clock: clock.NewFake(start), cfg: cfg, ctx: waitContext(t), logs: &testwait.Log{}}
	s.boot()
	t.Cleanup(func() {
		s.app.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", s.logs)
		}
	})
	return s
}

func (s *server) boot() {
	s.t.Helper()
	s.out = &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.New(context.Background(), s.cfg, app.Options{Clock: s.clock, Out: s.out, Logger: log, BcryptCost: 4})
	if err != nil {
		s.t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.app = a
	s.base = "http://" + a.Addr()
	s.cfg.Addr = a.Addr() // a restart comes back on the same port
}

// restart stops the server and starts it again on the same data dir.
func (s *server) restart() {
	s.t.Helper()
	if err := s.app.Close(); err != nil {
		s.t.Fatal(err)
	}
	s.boot()
}

// advance moves the fake clock.
func (s *server) advance(d time.Duration) { s.clock.Advance(d) }

// --- operators over HTTP -------------------------------------------------

type operator struct {
	s    *server
	http *http.Client
	csrf string
	me   protocol.Operator
}

// firstAdmin creates the first account through the API.
func (s *server) firstAdmin() *operator {
	s.t.Helper()
	o := s.newOperatorClient()
	var body struct {
		Operator protocol.Operator `json:"operator"`
		CSRF     string            `json:"csrf_token"`
	}
	o.mustDo("POST", "/api/setup/admin", map[string]any{"name": "Ada Admin", "email": "ada@example.com", "password": "correct horse"}, 201, &body)
	o.csrf, o.me = body.CSRF, body.Operator
	return o
}

func (s *server) newOperatorClient() *operator {
	jar, _ := cookiejar.New(nil)
	// No Timeout: a request waits for its answer until the test's deadline.
	return &operator{s: s, http: &http.Client{Jar: jar}}
}

// login logs an operator in.
func (s *server) login(email, password string) *operator {
	s.t.Helper()
	o := s.newOperatorClient()
	var body struct {
		Operator protocol.Operator `json:"operator"`
		CSRF     string            `json:"csrf_token"`
	}
	o.mustDo("POST", "/api/session", map[string]any{"email": email, "password": password}, 200, &body)
	o.csrf, o.me = body.CSRF, body.Operator
	return o
}

// addOperator is an admin creating an account and logging it in.
func (admin *operator) addOperator(name string, prio, limit int) *operator {
	admin.s.t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"
	admin.mustDo("POST", "/api/operators", map[string]any{"name": name, "email": email, "password": "password-" + name,
		"role": "operator", "priority_level": prio, "chat_limit": limit}, 201, nil)
	return admin.s.login(email, "password-"+name)
}

// do sends a JSON request with the session and CSRF token; it returns the
// status and decodes the answer into out if given.
func (o *operator) do(method, path string, body any, out any) int {
	o.s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(o.s.ctx, method, o.s.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if o.csrf != "" {
		req.Header.Set("X-CSRF-Token", o.csrf)
	}
	res := o.send(req)
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			o.s.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return res.StatusCode
}

// send sends a request made with the server's ctx and returns the answer.
func (o *operator) send(req *http.Request) *http.Response {
	o.s.t.Helper()
	res, err := o.http.Do(req)
	if err != nil {
		if o.s.ctx.Err() != nil {
			o.s.t.Fatal(gaveUp(o.s.t, "the answer to "+req.Method+" "+req.URL.Path))
		}
		o.s.t.Fatal(err)
	}
	return res
}

func (o *operator) mustDo(method, path string, body any, status int, out any) {
	o.s.t.Helper()
	var raw json.RawMessage
	got := o.do(method, path, body, &raw)
	if got != status {
		o.s.t.Fatalf("%s %s = %d %s, want %d", method, path, got, raw, status)
	}
	if out != nil {
		json.Unmarshal(raw, out)
	}
}

func (o *operator) setStatus(status string) {
	o.s.t.Helper()
	o.mustDo("PUT", "/api/me/status", map[string]string{"status": status}, 200, nil)
}

func (o *operator) take(chatID int64) protocol.Chat {
	o.s.t.Helper()
	var c protocol.Chat
	o.mustDo("POST", fmt.Sprintf("/api/chats/%d/take", chatID), nil, 200, &c)
	return c
}

func (o *operator) end(chatID int64) protocol.Chat {
	o.s.t.Helper()
	var c protocol.Chat
	o.mustDo("POST", fmt.Sprintf("/api/chats/%d/end", chatID), nil, 200, &c)
	return c
}

func (o *operator) chat(chatID int64) (protocol.Chat, []protocol.Message) {
	o.s.t.Helper()
	var body struct {
		Chat     protocol.Chat      `json:"chat"`
		Messages []protocol.Message `json:"messages"`
	}
	o.mustDo("GET", fmt.Sprintf("/api/chats/%d", chatID), nil, 200, &body)
	return body.Chat, body.Messages
}

func (o *operator) patchSettings(p map[string]any) {
	o.s.t.Helper()
	o.mustDo("PATCH", "/api/settings", p, 200, nil)
}

// --- sockets -------------------------------------------------------------

// frame is a decoded server frame.
type frame map[string]any

func (f frame) str(k string) string { s, _ := f[k].(string); return s }
func (f frame) num(k string) int64  { n, _ := f[k].(float64); return int64(n) }
func (f frame) obj(k string) frame  { m, _ := f[k].(map[string]any); return frame(m) }
func (f frame) list(k string) []frame {
	var out []frame
	xs, _ := f[k].([]any)
	for _, x := range xs {
		out = append(out, frame(x.(map[string]any)))
	}
	return out
}

// socket is a WebSocket client that queues the frames it receives.
type socket struct {
	t       *testing.T
	ws      *websocket.Conn
	frames  chan frame
	closed  chan struct{} // closed once the reader has stopped
	code    atomic.Int64  // the close code the server sent
	readErr error         // why the reader stopped; read it after closed
	mu      sync.Mutex
	refs    int
	pending []frame
}

func dial(t *testing.T, rawURL string, header http.Header) *socket {
	t.Helper()
	// Not websocket.DefaultDialer: its 45 s handshake timeout is a clock of
	// its own; the test's deadline bounds the handshake instead.
	var d websocket.Dialer
	ctx := waitContext(t)
	ws, _, err := d.DialContext(ctx, rawURL, header)
	if err != nil {
		if ctx.Err() != nil {
			t.Fatal(gaveUp(t, "the handshake of "+rawURL))
		}
		t.Fatalf("dial %s: %v", rawURL, err)
	}
	ws.SetWriteDeadline(testwait.GiveUpAt(t)) // zero, no deadline, when the test has none
	s := &socket{t: t, ws: ws, frames: make(chan frame, 4096), closed: make(chan struct{})}
	go func() {
		defer close(s.closed)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					s.code.Store(int64(ce.Code))
				}
				s.readErr = err
				return
			}
			var f frame
			if err := json.Unmarshal(data, &f); err != nil {
				t.Errorf("server sent a frame that is not JSON: %s", data)
				continue
			}
			s.frames <- f
		}
	}()
	t.Cleanup(func() { ws.Close() })
	return s
}

func (s *socket) send(v any) {
	s.t.Helper()
	if err := s.ws.WriteJSON(v); err != nil {
		s.t.Fatalf("sending %v: %v", v, err)
	}
}

func (s *socket) ref() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refs++
	return fmt.Sprintf("r%d", s.refs)
}

// next returns the first frame matching match, waiting for it if needed.
// Frames that do not match stay queued for later calls, in order. It waits
// until the frame comes, the socket closes (no frame can come any more), or
// the test's deadline; the last two fail, listing the frames that did come.
func (s *socket) next(what string, match func(frame) bool) frame {
	s.t.Helper()
	if f, ok := s.take(match); ok {
		return f
	}
	expired, stop := testwait.Expiry(s.t)
	defer stop()
	for {
		select {
		case f := <-s.frames:
			if match(f) {
				return f
			}
			s.queue(f)
		case <-s.closed:
			// Everything the reader got is in s.frames by now.
			for {
				select {
				case f := <-s.frames:
					if match(f) {
						return f
					}
					s.queue(f)
				default:
					s.t.Fatalf("no %s: the socket closed (code %d, %v); it got, unmatched:\n%s", what, s.code.Load(), s.readErr, s.unmatched())
					return nil
				}
			}
		case <-expired:
			s.t.Fatalf("%s; the socket got, unmatched:\n%s", gaveUp(s.t, what), s.unmatched())
			return nil
		}
	}
}

// take removes and returns the first queued frame matching match.
func (s *socket) take(match func(frame) bool) (frame, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.pending {
		if match(f) {
			s.pending = append(s.pending[:i:i], s.pending[i+1:]...)
			return f, true
		}
	}
	return nil, false
}

func (s *socket) queue(f frame) {
	s.mu.Lock()
	s.pending = append(s.pending, f)
	s.mu.Unlock()
}

// unmatched lists the frames received and not taken, for a failure message.
func (s *socket) unmatched() string {
	for drained := false; !drained; {
		select {
		case f := <-s.frames:
			s.queue(f)
		default:
			drained = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return "  (nothing)"
	}
	var b strings.Builder
	for _, f := range s.pending {
		data, _ := json.Marshal(f)
		if len(data) > 500 {
			data = append(data[:500:500], "…"...)
		}
		fmt.Fprintf(&b, "  %s\n", data)
	}
	return b.String()
}

func (s *socket) nextType(typ string) frame {
	s.t.Helper()
	return s.next(typ+" frame", func(f frame) bool { return f.str("type") == typ })
}

// reply waits for the ack or error answering ref.
func (s *socket) reply(ref string) frame {
	s.t.Helper()
	return s.next("reply to "+ref, func(f frame) bool {
		return (f.str("type") == "ack" || f.str("type") == "error") && f.str("ref") == ref
	})
}

// drain returns the frames received so far and not yet matched.
func (s *socket) drain() []frame {
	s.mu.Lock()
	out := s.pending
	s.pending = nil
	s.mu.Unlock()
	for {
		select {
		case f := <-s.frames:
			out = append(out, f)
		default:
			return out
		}
	}
}

// sync is a round trip: once its reply arrives, every frame the server sent
// before it has arrived too.
func (s *socket) sync() {
	s.t.Helper()
	ref := s.ref()
	s.send(map[string]any{"type": "no.such.type", "ref": ref})
	s.reply(ref)
}

// waitClosed waits for the server to close the socket and returns its code.
func (s *socket) waitClosed() int {
	s.t.Helper()
	expired, stop := testwait.Expiry(s.t)
	defer stop()
	select {
	case <-s.closed:
		return int(s.code.Load())
	case <-expired:
		s.t.Fatalf("%s; the socket got, unmatched:\n%s", gaveUp(s.t, "the server to close the socket"), s.unmatched())
		return 0
	}
}

// close closes the socket from this side and waits for its reader to stop.
func (s *socket) close() {
	s.t.Helper()
	s.ws.Close()
	await(s.t, "the socket's reader to stop", s.closed)
}

// --- the widget ----------------------------------------------------------

type widget struct {
	*socket
	srv     *server
	token   string
	chatID  int64
	lastSeq int64
	welcome frame
	page    string
}

// visitor opens a widget tab on page (a URL path on the demo site).
func (s *server) visitor(page string) *widget {
	s.t.Helper()
	w := &widget{srv: s, page: page}
	w.connect(page, "pv-"+page)
	return w
}

// tab opens another tab of the same visitor.
func (w *widget) tab(page string) *widget {
	w.srv.t.Helper()
	other := &widget{srv: w.srv, token: w.token, page: page}
	other.connect(page, fmt.Sprintf("pv-%s-%d", page, time.Now().UnixNano()))
	return other
}

func (w *widget) connect(page, pageID string) {
	w.srv.t.Helper()
	key := w.srv.siteKey()
	u := strings.Replace(w.srv.base, "http", "ws", 1) + "/ws/visitor?site_key=" + url.QueryEscape(key)
	w.socket = dial(w.srv.t, u, http.Header{"Origin": {w.srv.base}})
	w.send(map[string]any{"type": "hello", "token": w.token, "chat_id": w.chatID, "last_seq": w.lastSeq,
		"page":    map[string]any{"id": pageID, "url": w.srv.base + page, "title": titleOf(page), "referrer": ""},
		"visible": true, "user_agent": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0.0.0 Safari/537.36"})
	w.welcome = w.nextType("welcome")
	w.token = w.welcome.str("token")
	if c := w.welcome.obj("chat"); c != nil {
		w.chatID = c.num("id")
	}
	for _, m := range w.welcome.list("messages") {
		w.lastSeq = m.num("seq")
	}
}

// reconnect drops the socket and connects again, resuming.
func (w *widget) reconnect() {
	w.srv.t.Helper()
	w.close()
	w.connect(w.page, "pv-"+w.page)
}

func titleOf(page string) string {
	switch {
	case strings.Contains(page, "product"):
		return "Product"
	case strings.Contains(page, "pricing"):
		return "Pricing"
	}
	return "Home"
}

// say sends a message and waits for its ack.
func (w *widget) say(body string) frame {
	w.srv.t.Helper()
	return w.sayWithID(body, fmt.Sprintf("v-%d", time.Now().UnixNano()))
}

func (w *widget) sayWithID(body, clientID string) frame {
	w.srv.t.Helper()
	ref := w.ref()
	w.send(map[string]any{"type": "message.send", "ref": ref, "client_id": clientID, "body": body})
	f := w.reply(ref)
	if f.str("type") != "ack" {
		w.srv.t.Fatalf("send %q: %v", body, f)
	}
	w.chatID = f.num("chat_id")
	return f
}

// message waits for the message frame with this body.
func (w *widget) message(body string) frame {
	w.srv.t.Helper()
	f := w.next("message "+body, func(f frame) bool { return f.str("type") == "message" && f.obj("message").str("body") == body })
	w.lastSeq = f.obj("message").num("seq")
	return f.obj("message")
}

// chatState waits for a chat frame with this state.
func (s *socket) chatState(chatID int64, state string) frame {
	s.t.Helper()
	return s.next(fmt.Sprintf("chat %d %s", chatID, state), func(f frame) bool {
		return f.str("type") == "chat" && f.obj("chat").num("id") == chatID && f.obj("chat").str("state") == state
	}).obj("chat")
}

// --- the console ---------------------------------------------------------

type console struct {
	*socket
	o       *operator
	welcome frame
}

// console connects a console socket; watch maps chats to the last seq held.
func (o *operator) console(watch map[int64]int64, visitors bool) *console {
	o.s.t.Helper()
	u := strings.Replace(o.s.base, "http", "ws", 1) + "/ws/console"
	base, _ := url.Parse(o.s.base)
	header := http.Header{"Origin": {o.s.base}}
	for _, ck := range o.http.Jar.Cookies(base) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	c := &console{socket: dial(o.s.t, u, header), o: o}
	w := map[string]int64{}
	for id, seq := range watch {
		w[fmt.Sprint(id)] = seq
	}
	c.send(map[string]any{"type": "hello", "watch": w, "visitors": visitors})
	c.welcome = c.nextType("welcome")
	return c
}

func (c *console) say(chatID int64, body string) frame {
	c.t.Helper()
	ref := c.ref()
	c.send(map[string]any{"type": "message.send", "ref": ref, "chat_id": chatID, "client_id": fmt.Sprintf("o-%d", time.Now().UnixNano()), "body": body})
	return c.reply(ref)
}

func (c *console) message(body string) frame {
	c.t.Helper()
	return c.next("message "+body, func(f frame) bool { return f.str("type") == "message" && f.obj("message").str("body") == body }).obj("message")
}

func jsonDecode(r io.Reader, v any) { json.NewDecoder(r).Decode(v) }

// chatWith waits for a chat frame with this state and operator.
func (s *socket) chatWith(chatID int64, state, operatorName string) frame {
	s.t.Helper()
	return s.next(fmt.Sprintf("chat %d %s with %s", chatID, state, operatorName), func(f frame) bool {
		c := f.obj("chat")
		return f.str("type") == "chat" && c.num("id") == chatID && c.str("state") == state && c.obj("operator").str("name") == operatorName
	}).obj("chat")
}

// operatorStatus waits for an operator frame showing name with status.
func (s *socket) operatorStatus(name, status string) frame {
	s.t.Helper()
	return s.next(name+" "+status, func(f frame) bool {
		return f.str("type") == "operator" && f.obj("operator").str("name") == name && f.obj("operator").str("status") == status
	}).obj("operator")
}

func itoa(n int64) string { return fmt.Sprint(n) }
