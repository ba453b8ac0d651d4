package realtime

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
)

var chatSubject = bus.ChatSubject

// Hub joins sockets on this node to bus subjects: one bus subscription per
// subject however many local sockets listen, and each event decoded once.
type Hub struct {
	bus  bus.Bus
	msgs MessageSource
	log  *slog.Logger
	now  func() time.Time // the app's clock: chat frames carry server_time
	// sockets times the heartbeat and the read and write limits: bounds on
	// the network, so the app gives the wall clock, and tests a fake one.
	sockets clock.Clock
	// visitorLimit and consoleLimit bound the frames each socket sends
	// (ratelimit.go); guarded by mu.
	visitorLimit, consoleLimit FrameLimit

	chats chatVersions // drops a chat event older than one already shown

	mu       sync.RWMutex
	subjects map[string]*subjectConns
	conns    map[*Conn]struct{} // every open socket, to close on shutdown
	closing  bool
	refusing string         // while set, sockets are refused with it (see Refuse)
	maxConns int            // 0: no cap
	serving  sync.WaitGroup // sockets whose reader still runs

	visitorUpgrader websocket.Upgrader
	consoleUpgrader websocket.Upgrader
}

type subjectConns struct {
	sub   bus.Subscription
	conns map[*Conn]struct{}
	// visitors indexes the visitor sockets of a site subject by visitor
	// (hub_visitors.go).
	visitors map[int64][]*Conn
}

// NewHub returns a hub over b; msgs serves resume; now is the app's clock,
// for the times frames carry; sockets times pings and the read and write
// limits. maxConns caps the open sockets (0: no cap); past it new sockets
// are refused with 503.
func NewHub(b bus.Bus, msgs MessageSource, log *slog.Logger, now func() time.Time, sockets clock.Clock, maxConns int) *Hub {
	up := websocket.Upgrader{
		// The read buffer is all an idle socket keeps: a visitor's is
		// 256 bytes, enough for any control frame (125) and most of its
		// frames; a larger frame still arrives whole, read straight into
		// its message. Write buffers come from a pool and are held only
		// while a frame is being written.
		ReadBufferSize:  256,
		WriteBufferPool: &sync.Pool{},
		// Origins are checked by each handler against its own rule.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	console := up
	// A console sends more, and larger, frames than a visitor: few of
	// them are open.
	console.ReadBufferSize = 1024
	// Consoles get few, large, repetitive frames (Visitor List batches):
	// compression shrinks them several times over. Visitor sockets stay
	// uncompressed, so an idle visitor keeps no compressor state.
	console.EnableCompression = true
	return &Hub{
		bus: b, msgs: msgs, log: log, now: now, sockets: sockets, subjects: map[string]*subjectConns{}, conns: map[*Conn]struct{}{},
		maxConns: maxConns, visitorUpgrader: up, consoleUpgrader: console,
		visitorLimit: VisitorFrameLimit, consoleLimit: ConsoleFrameLimit,
	}
}

// SetFrameLimits changes the frame limits of the sockets served from now
// on (ratelimit.go has the defaults).
func (h *Hub) SetFrameLimits(visitor, console FrameLimit) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.visitorLimit, h.consoleLimit = visitor, console
}

func (h *Hub) frameLimits() (visitor, console FrameLimit) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.visitorLimit, h.consoleLimit
}

// full reports whether the socket cap is reached.
func (h *Hub) full() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.maxConns > 0 && len(h.conns) >= h.maxConns
}

// refuseFull answers an upgrade request when the cap is reached: a clear
// 503 the client retries later, before the process runs out of files.
func (h *Hub) refuseFull(w http.ResponseWriter) bool {
	if !h.full() {
		return false
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Retry-After", "10")
	w.WriteHeader(http.StatusServiceUnavailable)
	json.NewEncoder(w).Encode(map[string]string{"error": "The server is at its connection limit; try again shortly", "code": string(desk.CodeUnavailable)})
	return true
}

func (h *Hub) subscribe(c *Conn, subject string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	// A socket shut down has left every subject (shutdown marks it closed
	// before unsubscribeAll takes h.mu): it joins none again.
	if c.subjects[subject] || c.isClosed() {
		return
	}
	sc := h.subjectLocked(subject)
	if sc == nil {
		return
	}
	if c.subjects == nil {
		c.subjects = map[string]bool{}
	}
	c.subjects[subject] = true
	sc.conns[c] = struct{}{}
}

// subjectLocked is the hub's subscription to subject, made if need be; nil
// if the bus refuses it.
func (h *Hub) subjectLocked(subject string) *subjectConns {
	if sc := h.subjects[subject]; sc != nil {
		return sc
	}
	sub, err := h.bus.Subscribe(subject, func(b []byte) { h.dispatch(subject, b) })
	if err != nil {
		h.log.Error("bus subscribe", "subject", subject, "err", err)
		return nil
	}
	sc := &subjectConns{sub: sub, conns: map[*Conn]struct{}{}}
	h.subjects[subject] = sc
	return sc
}

// dropIfUnusedLocked ends the hub's subscription to a subject no socket
// here listens to any more.
func (h *Hub) dropIfUnusedLocked(subject string, sc *subjectConns) {
	if len(sc.conns) == 0 && len(sc.visitors) == 0 {
		sc.sub.Unsubscribe()
		delete(h.subjects, subject)
	}
}

func (h *Hub) unsubscribe(c *Conn, subject string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.unsubscribeLocked(c, subject)
}

func (h *Hub) unsubscribeLocked(c *Conn, subject string) {
	if !c.subjects[subject] {
		return
	}
	delete(c.subjects, subject)
	sc := h.subjects[subject]
	delete(sc.conns, c)
	h.dropIfUnusedLocked(subject, sc)
}

func (h *Hub) unsubscribeAll(c *Conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range c.subjects {
		h.unsubscribeLocked(c, s)
	}
	h.leaveVisitorLocked(c)
}

func (h *Hub) dispatch(subject string, b []byte) {
	e, err := bus.DecodeEvent(b)
	if err != nil {
		h.log.Error("bus event does not decode", "subject", subject, "err", err)
		return
	}
	if e.Chat != nil && !h.chats.fresh(*e.Chat, h.now()) {
		return // an older copy of a chat, overtaken by a newer one
	}
	if e.Kind.Reloads() {
		return // shown by the application once it has reloaded (Local)
	}
	h.Local(subject, e)
}

// Local delivers an event to this node's sockets on subject, not through
// the bus: for what every node learns by itself (presence), so that each
// renders it for its own sockets once.
func (h *Hub) Local(subject string, e bus.Event) {
	h.mu.RLock()
	sc := h.subjects[subject]
	var conns []*Conn
	if sc != nil {
		tabs := sc.visitors[visitorOf(&e)]
		conns = make([]*Conn, 0, len(sc.conns)+len(tabs))
		for c := range sc.conns {
			conns = append(conns, c)
		}
		conns = append(conns, tabs...)
	}
	h.mu.RUnlock()
	ev := newEvent(&e, h.now())
	for _, c := range conns {
		c.deliver(ev)
	}
}

// track registers a new socket; it reports false once the hub is closing.
func (h *Hub) track(c *Conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing || h.refusing != "" || (h.maxConns > 0 && len(h.conns) >= h.maxConns) {
		return false
	}
	h.conns[c] = struct{}{}
	return true
}

func (h *Hub) untrack(c *Conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.conns, c)
}

// Wait waits, at most d, until every socket's reader has returned — and
// with it whatever the socket's last frame asked of the application — so
// the store and bus can close under no one.
func (h *Hub) Wait(d time.Duration) {
	done := make(chan struct{})
	go func() { h.serving.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}

// Refuse closes every socket with "try again later" (1013), so clients
// reconnect through the load balancer to another node, and refuses new
// ones the same way until Accept. A node cut off from the bus would show
// its clients a desk that no longer moves.
func (h *Hub) Refuse(reason string) {
	h.mu.Lock()
	h.refusing = reason
	h.mu.Unlock()
	h.closeEvery(websocket.CloseTryAgainLater, reason)
}

// Accept takes new sockets again after Refuse.
func (h *Hub) Accept() {
	h.mu.Lock()
	h.refusing = ""
	h.mu.Unlock()
}

// CloseAll closes every socket with "service restart" (1012), so clients
// reconnect, and refuses new ones. http.Server.Shutdown does not close
// hijacked connections; this does.
func (h *Hub) CloseAll() {
	h.mu.Lock()
	h.closing = true
	h.mu.Unlock()
	h.closeEvery(websocket.CloseServiceRestart, "server restarting")
}

// closeEvery closes every open socket with code, so clients reconnect.
// Each close runs on its own: a stalled socket's close frame may wait for
// closeWait, and the others must not wait behind it. Each socket's reader
// then waits for its client's close frame and shuts it down; Wait waits for
// the readers.
func (h *Hub) closeEvery(code int, reason string) {
	h.mu.Lock()
	conns := make([]*Conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		go c.closeSoon(code, reason)
	}
}
