package realtime

import (
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/protocol"
)

// readHello reads the first frame, which must be a hello.
func (c *Conn) readHello() (protocol.ClientFrame, bool) {
	kind, data, err := c.ws.ReadMessage()
	if err != nil || kind != websocket.TextMessage {
		return protocol.ClientFrame{}, false
	}
	f, ferr := readFrame(data, nil)
	return f, ferr == nil && f.Type == protocol.TypeHello
}

// readLoop reads frames until the socket ends, answering each with handle's
// reply. A bad frame, or one without a member required names for its type,
// gets an error frame; the socket carries on.
func (c *Conn) readLoop(required map[string][]string, handle func(protocol.ClientFrame) []byte) {
	for {
		kind, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		c.ws.SetReadDeadline(time.Now().Add(readTimeout))
		if kind != websocket.TextMessage {
			c.Send(protocol.ErrorFrame("", "bad_request", "Frames must be text"))
			continue
		}
		f, ferr := readFrame(data, required)
		if ferr != nil {
			c.Send(protocol.ErrorFrame(f.Ref, string(ferr.Code), ferr.Message))
			continue
		}
		if reply := handle(f); reply != nil {
			c.Send(reply)
		}
	}
}

// closeNow closes the socket at once with code, before anything is queued.
func (c *Conn) closeNow(code int, reason string) {
	deadline := time.Now().Add(writeTimeout)
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), deadline)
}
