// Package realtime serves the WebSocket side of Output Desk: the visitor
// socket the widget holds on every page, and the console socket. It reads
// frames, hands them to the application, and delivers bus events to each
// socket in order, with resume: a socket is sent every message of a chat it
// watches once, in seq order, with no gaps.
package realtime

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
)

// Socket timings and limits (docs/protocol.md, "Heartbeat"). The first four
// run on the hub's socket clock, so tests drive them.
const (
	pingEvery    = 25 * time.Second
	readTimeout  = 60 * time.Second
	helloTimeout = 10 * time.Second
	writeTimeout = 10 * time.Second
	// closeWait bounds the closing handshake: after its close frame the
	// server reads on, dropping what comes, until the client's close frame,
	// at most this long. A bound on the network, on the wall clock: a
	// client that never answers costs its socket this long, even under a
	// test's fake clock.
	closeWait     = 2 * time.Second
	maxFrameBytes = 64 << 10
	// maxQueue is how many frames may wait for a slow socket before it is
	// closed with 4408; the client reconnects and resumes.
	maxQueue = 1024
)

// Close codes beyond the standard ones.
const (
	CloseBadHello     = 4400
	CloseUnauthorized = 4401
	CloseForbidden    = 4403
	CloseUnknownSite  = 4404
	CloseTooSlow      = 4408
)

// MessageSource reads stored messages for resume and gap filling.
type MessageSource interface {
	Messages(ctx context.Context, chatID int64, afterSeq int64, limit int) ([]desk.Message, error)
}

// item is one thing for the writer to do.
type item struct {
	frame    []byte                     // a frame to send as is
	prepared *websocket.PreparedMessage // a frame shared by many sockets
	size     int                        // the prepared frame's length
	event    *event                     // a message event, checked against seq
	catchUp  int64                      // a chat whose stored messages to send
	ping     bool
	watch    int64  // a chat to start watching (from a chat event)
	from     *event // that chat event: its last message may be all that is missed
	close    *closeReq
}

type closeReq struct {
	code   int
	reason string
}

// Conn is one socket. Its reader runs in its own goroutine; a writer
// goroutine exists only while frames wait to be sent, so an idle socket
// costs one parked goroutine and its read buffer.
//
// The reader owns the socket's end: whoever closes it (the reader itself,
// the writer, the hub) sends the close frame, and the reader reads on until
// the client's close frame comes back (or closeWait passes), then shuts the
// socket down. Closing the connection at once, with the client's frames
// unread, would have the kernel answer with a reset that can destroy the
// close frame before the client reads it: the client would see 1006 rather
// than the code.
//
// Every visitor on the site holds one all day, so it is kept small: what
// the hub has (the store, the log, the socket clock) is read from the hub.
type Conn struct {
	ws  *websocket.Conn
	hub *Hub

	limits limits // reading, writing and the heartbeat (deadline.go)

	mu      sync.Mutex
	queue   []item
	writing bool
	closing bool // the close frame is sent (or being sent): nothing more goes out
	closed  bool // shut down
	holding bool // between subscribing and sending welcome
	// audience is who the socket's frames are for; set with onEvent.
	audience audience
	// closingCh is closed when closing becomes true: a paused reader wakes.
	// Made by the first pause (closingChan): few sockets ever pause.
	closingCh chan struct{}
	// pauses counts the frames the reader held for their budget.
	pauses atomic.Int64
	held   []*event // events that arrived while holding
	// watched maps a chat to the highest seq sent to this socket; only the
	// writer reads or changes it after welcome. Made on the first watch:
	// most visitors never chat.
	watched map[int64]int64
	// subjects are the bus subjects this socket listens to, and visitorID
	// the visitor whose tabs it is in, on visitorSite's subject
	// (hub_visitors.go); the hub's mu guards them.
	subjects    map[string]bool
	visitorID   int64
	visitorSite int64

	// onEvent filters events for this socket; set by the visitor or console
	// handler before subscribing, with the socket's audience.
	onEvent func(c *Conn, e *event) bool
	// onClose runs once when the socket ends.
	onClose func()
}

// longPast is a net.Conn deadline that has passed: a blocked read returns.
var longPast = time.Unix(1, 0)

func newConn(ws *websocket.Conn, hub *Hub) *Conn {
	c := &Conn{ws: ws, hub: hub}
	c.limits = limits{clock: hub.sockets, on: c}
	ws.SetReadLimit(maxFrameBytes)
	ws.SetPongHandler(func(string) error { c.limits.extend(readLimit, readTimeout); return nil })
	return c
}

// expire acts on a time limit that passed.
func (c *Conn) expire(which timeLimit) {
	if which == readLimit {
		// A silent peer: the blocked read returns at once, and the reader
		// ends the socket (with 4400 if it was waiting for hello).
		c.ws.NetConn().SetReadDeadline(longPast)
		return
	}
	// A stalled peer: nothing can be sent to it any more, a close frame
	// included; the reader sees the connection end.
	c.ws.Close()
}

// tick is the heartbeat: a ping every pingEvery (armPing).
func (c *Conn) tick() { c.enqueue(item{ping: true}) }

// Send queues a frame.
func (c *Conn) Send(frame []byte) { c.enqueue(item{frame: frame}) }

// SendPrepared queues a frame of size bytes encoded once for many sockets.
func (c *Conn) SendPrepared(pm *websocket.PreparedMessage, size int) {
	c.enqueue(item{prepared: pm, size: size})
}

// CloseWith closes the socket after the frames queued before it.
func (c *Conn) CloseWith(code int, reason string) {
	c.enqueue(item{close: &closeReq{code, reason}})
}

func (c *Conn) enqueue(it item) {
	if c.push(it) {
		go c.writeLoop()
	}
}

// writeNow writes frame on this goroutine unless a writer is at work (then
// it only queues it): a visitor's opening writes its welcome itself rather
// than start a writer goroutine for one frame.
func (c *Conn) writeNow(frame []byte) {
	if c.push(item{frame: frame}) {
		c.writeLoop()
	}
}

// push queues it; true when no writer runs and the caller is to be it.
func (c *Conn) push(it item) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return false
	}
	if len(c.queue) >= maxQueue && it.close == nil {
		c.queue = append(c.queue[:0], item{close: &closeReq{CloseTooSlow, "too slow"}})
	} else {
		c.queue = append(c.queue, it)
	}
	if c.writing {
		return false
	}
	c.writing = true
	return true
}

// hold makes events wait until release, so nothing published after the
// socket subscribed is sent before its welcome.
func (c *Conn) hold() {
	c.mu.Lock()
	c.holding = true
	c.mu.Unlock()
}

// release sends what was held, after the frames queued so far (welcome),
// keeping new events held until the backlog is drained so order holds.
func (c *Conn) release() {
	for {
		c.mu.Lock()
		held := c.held
		c.held = nil
		if len(held) == 0 {
			c.holding = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		for _, e := range held {
			c.process(e)
		}
	}
}

// deliver hands a bus event to the socket, or holds it until welcome.
func (c *Conn) deliver(e *event) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	if c.holding {
		c.held = append(c.held, e)
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	c.process(e)
}

// process queues an event if the socket wants it.
func (c *Conn) process(e *event) {
	if c.onEvent != nil && !c.onEvent(c, e) {
		return
	}
	frame := e.frameFor(c.audience)
	switch {
	case frame == nil:
	case e.Kind == bus.KindMessage:
		c.enqueue(item{event: e})
	case e.preparedFor(c.audience) != nil:
		c.SendPrepared(e.preparedFor(c.audience), len(frame))
	default:
		c.Send(frame)
	}
}

// watchChat starts receiving a chat's messages after seq; the caller then
// sends or queues what is missed (catchUp).
func (c *Conn) watchChat(chatID, seq int64) {
	c.mu.Lock()
	if _, ok := c.watched[chatID]; !ok {
		if c.watched == nil {
			c.watched = map[int64]int64{}
		}
		c.watched[chatID] = seq
	}
	c.mu.Unlock()
	c.hub.subscribe(c, chatSubject(chatID))
}

func (c *Conn) unwatchChat(chatID int64) {
	c.mu.Lock()
	delete(c.watched, chatID)
	c.mu.Unlock()
	c.hub.unsubscribe(c, chatSubject(chatID))
}

func (c *Conn) isWatching(chatID int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.watched[chatID]
	return ok
}

// sentUpTo is the highest seq of a watched chat sent to this socket.
func (c *Conn) sentUpTo(chatID int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.watched[chatID]
}

// markSent records that messages up to seq were put in a frame (welcome).
func (c *Conn) markSent(chatID, seq int64) {
	c.mu.Lock()
	if sent, ok := c.watched[chatID]; ok && seq > sent {
		c.watched[chatID] = seq
	}
	c.mu.Unlock()
}

func (c *Conn) writeLoop() {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 || c.closing {
			// Under c.mu, so a writer started after this one keeps its limit.
			c.limits.clear(writeLimit)
			c.writing = false
			c.mu.Unlock()
			return
		}
		it := c.queue[0]
		c.queue[0] = item{}
		c.queue = c.queue[1:]
		if len(c.queue) == 0 {
			c.queue = nil // let an emptied backlog's array go
		}
		c.mu.Unlock()
		c.limits.extend(writeLimit, writeTimeout)
		if it.close != nil {
			c.closeSoon(it.close.code, it.close.reason)
			continue
		}
		if err := c.write(it); err != nil {
			if !c.isClosing() {
				c.ws.Close() // the reader sees the connection end and shuts the socket down
			}
			c.mu.Lock()
			c.limits.clear(writeLimit)
			c.writing = false
			c.mu.Unlock()
			return
		}
	}
}

// closingLocked marks the socket closing and wakes a paused reader.
func (c *Conn) closingLocked() {
	c.closing = true
	if c.closingCh != nil {
		close(c.closingCh)
	}
}

// closingChan is closed once the socket is closing.
func (c *Conn) closingChan() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closingCh == nil {
		c.closingCh = make(chan struct{})
		if c.closing {
			close(c.closingCh)
		}
	}
	return c.closingCh
}

func (c *Conn) isClosing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing
}

func (c *Conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// write sends one item. Writes carry no net.Conn deadline: c.writes bounds
// them on the socket clock.
func (c *Conn) write(it item) error {
	c.ws.EnableWriteCompression(worthCompressing(it))
	switch {
	case it.ping:
		return c.ws.WriteControl(websocket.PingMessage, nil, time.Time{})
	case it.prepared != nil:
		return c.ws.WritePreparedMessage(it.prepared)
	case it.frame != nil:
		return c.ws.WriteMessage(websocket.TextMessage, it.frame)
	case it.watch != 0:
		if !c.isWatching(it.watch) {
			c.watchChat(it.watch, 0)
		}
		if e := it.from; e != nil && c.audience != anonWidgets { // (lastFrame has names)
			if seq, last := e.lastFrame(); last != nil && seq == c.sentUpTo(it.watch)+1 {
				c.markSent(it.watch, seq) // all it missed is in the event
				return c.ws.WriteMessage(websocket.TextMessage, last)
			}
		}
		return c.sendMissed(it.watch, 0)
	case it.catchUp != 0:
		return c.sendMissed(it.catchUp, 0)
	case it.event != nil:
		return c.sendMessage(it.event)
	}
	return nil
}

// compressFrom is the smallest frame worth compressing, on sockets that
// negotiated compression (consoles). Deflating a small frame — a chat, an
// operator, a message — costs more CPU than the bytes it saves; Visitor
// List batches and welcomes shrink several times over.
const compressFrom = 2048

func worthCompressing(it item) bool {
	switch {
	case it.prepared != nil:
		return it.size >= compressFrom
	case it.frame != nil:
		return len(it.frame) >= compressFrom
	case it.event != nil:
		return len(it.event.frameFor(consoles)) >= compressFrom
	}
	return false
}

// sendMessage sends a message event in seq order: one already sent is
// dropped; one after a gap first sends the gap from the store.
func (c *Conn) sendMessage(e *event) error {
	chatID, seq := e.Message.ChatID, e.Message.Seq
	c.mu.Lock()
	sent, ok := c.watched[chatID]
	c.mu.Unlock()
	switch {
	case !ok || seq <= sent:
		return nil
	case seq == sent+1:
		c.markSent(chatID, seq)
		if pm := e.preparedFor(c.audience); pm != nil {
			return c.ws.WritePreparedMessage(pm)
		}
		return c.ws.WriteMessage(websocket.TextMessage, e.frameFor(c.audience))
	default:
		return c.sendMissed(chatID, seq)
	}
}

// sendMissed sends the stored messages of a watched chat after the last one
// sent, up to upTo (0: all).
func (c *Conn) sendMissed(chatID, upTo int64) error {
	c.mu.Lock()
	sent, ok := c.watched[chatID]
	c.mu.Unlock()
	if !ok || (upTo != 0 && upTo <= sent) {
		return nil
	}
	limit := 0
	if upTo != 0 {
		limit = int(upTo - sent)
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	msgs, err := c.hub.msgs.Messages(ctx, chatID, sent, limit)
	if err != nil {
		c.hub.log.Error("resume: reading messages", "chat", chatID, "err", err)
		return err
	}
	for _, m := range msgs {
		c.markSent(chatID, m.Seq)
		c.limits.extend(writeLimit, writeTimeout)
		if err := c.ws.WriteMessage(websocket.TextMessage, messageFrame(m, c.audience)); err != nil {
			return err
		}
	}
	return nil
}

// armPing starts the heartbeat: a ping every pingEvery, on the socket's
// one timer (limits, deadline.go).
func (c *Conn) armPing() {
	c.limits.ticking(pingEvery)
}

// shutdown ends the socket once: stops timers, closes the connection,
// leaves every subject, and tells the application. The socket's reader
// calls it when it is done reading (see Conn).
func (c *Conn) shutdown() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	if !c.closing {
		c.closingLocked()
	}
	c.closed = true
	c.queue, c.held = nil, nil
	c.mu.Unlock()
	c.limits.stop()
	c.ws.Close()
	c.hub.unsubscribeAll(c)
	c.hub.untrack(c)
	if c.onClose != nil {
		c.onClose()
	}
}
