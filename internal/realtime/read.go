package realtime

import (
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/protocol"
)

// readHello reads the first frame, which must be a hello, within
// helloTimeout.
func (c *Conn) readHello() (protocol.ClientFrame, bool) {
	c.limits.extend(readLimit, helloTimeout)
	kind, data, err := c.ws.ReadMessage()
	if err != nil || kind != websocket.TextMessage {
		return protocol.ClientFrame{}, false
	}
	// Heard from: the read limit runs from here, while the welcome is
	// made (which may take the store a while), and on in readLoop.
	c.limits.extend(readLimit, readTimeout)
	f, ferr := readHelloFrame(data)
	return f, ferr == nil && f.Type == protocol.TypeHello
}

// readLoop reads frames until the socket ends, answering each with handle's
// reply. A bad frame, or one without a member required names for its type,
// gets an error frame; the socket carries on. Once the socket is closing,
// frames are read and dropped until the client's close frame. Frames over
// the socket's limit wait for their budget (ratelimit.go); a socket that
// keeps flooding is closed with CloseTooManyFrames.
//
// The reader parks in ReadMessage nearly all its life, with readLoop's
// frame under it: a frame the garbage collector scans every cycle and
// counts towards the heap's goal, for every socket. So readLoop only reads;
// what a frame takes is done in took, on a frame of its own.
func (c *Conn) readLoop(limit FrameLimit, required map[string][]string, handle func(protocol.ClientFrame) []byte) {
	budget := newFrameBucket(limit, c.hub.sockets.Now())
	for {
		kind, data, err := c.ws.ReadMessage()
		if err != nil || !c.took(budget, kind, data, required, handle) {
			return
		}
	}
}

// took handles a frame readLoop read; false when reading is to stop.
//
//go:noinline
func (c *Conn) took(budget *frameBucket, kind int, data []byte, required map[string][]string, handle func(protocol.ClientFrame) []byte) bool {
	if c.isClosing() {
		return true
	}
	c.limits.extend(readLimit, readTimeout)
	wait, ok := budget.take(c.hub.sockets.Now())
	if !ok {
		c.hub.log.Warn("socket closed: too many frames", "limit_per_second", budget.limit.Rate)
		c.closeNow(CloseTooManyFrames, "too many frames")
		return false
	}
	if wait > 0 && !c.pause(wait) {
		return true // closing meanwhile: the frame is dropped
	}
	if kind != websocket.TextMessage {
		c.Send(protocol.ErrorFrame("", "bad_request", "Frames must be text"))
		return true
	}
	c.offStack(func() {
		f, ferr := readFrame(data, required)
		if ferr != nil {
			c.Send(protocol.ErrorFrame(f.Ref, string(ferr.Code), ferr.Message))
			return
		}
		if reply := handle(f); reply != nil {
			c.Send(reply)
		}
	})
	return true
}

// offStack runs f on a goroutine of its own and waits for it. A socket's
// reader is parked in a read nearly all its life, with a stack the size of
// the deepest call it ever made: decoding JSON and a store call through
// SQLite's transpiled C grow it to 16 KiB, and a parked reader using a
// quarter of that keeps it. Run elsewhere, that work leaves the reader at
// its starting stack, a few KiB for every socket held all day.
func (c *Conn) offStack(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

// pause holds the reader for d on the socket clock, so a flooding client
// waits on its own TCP window; false if the socket started closing
// meanwhile (the hub's CloseAll must not wait for a pause).
func (c *Conn) pause(d time.Duration) bool {
	done := make(chan struct{})
	t := c.hub.sockets.AfterFunc(d, func() { close(done) })
	defer t.Stop()
	c.pauses.Add(1) // after the timer is set: a test may move the clock now
	select {
	case <-done:
		return !c.isClosing()
	case <-c.closingChan():
		return false
	}
}

// closeNow closes the socket with code, before anything queued, and waits
// for the client's close frame (see Conn). Only the socket's reader calls
// it; the caller then shuts the socket down.
func (c *Conn) closeNow(code int, reason string) {
	c.sendClose(code, reason)
	c.ws.NetConn().SetReadDeadline(time.Now().Add(closeWait))
	for {
		// NextReader drops the unread rest of the frame before; the
		// client's close frame ends the loop with a CloseError.
		if _, _, err := c.ws.NextReader(); err != nil {
			return
		}
	}
}

// refuse closes a socket that is not served: its reader is the caller.
func (c *Conn) refuse(code int, reason string) {
	c.closeNow(code, reason)
	c.shutdown()
}

// closeSoon closes the socket with code, before anything queued, from a
// goroutine other than its reader (the writer, the hub): the reader drops
// what comes until the client's close frame, at most closeWait, and then
// shuts the socket down.
func (c *Conn) closeSoon(code int, reason string) {
	if c.sendClose(code, reason) {
		c.ws.NetConn().SetReadDeadline(time.Now().Add(closeWait))
	}
}

// sendClose sends the close frame once, ahead of the queue, which it drops:
// nothing is sent after it. A close frame that cannot be sent within
// closeWait (a stalled peer) closes the connection instead. It reports
// whether this call sent it.
func (c *Conn) sendClose(code int, reason string) bool {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return false
	}
	c.closingLocked()
	c.queue, c.held = nil, nil
	c.mu.Unlock()
	msg := websocket.FormatCloseMessage(code, reason)
	if err := c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(closeWait)); err != nil {
		c.ws.Close()
	}
	return true
}
