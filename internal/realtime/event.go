package realtime

import (
	"sync"

	"github.com/gorilla/websocket"

	"outputdesk/internal/protocol"
)

// event is a bus event as this node's sockets get it: decoded once, and its
// frame prepared once — compressed once for every console that sends it,
// rather than once per socket.
type event struct {
	*protocol.Event
	once sync.Once
	pm   *websocket.PreparedMessage
}

func (e *event) prepared() *websocket.PreparedMessage {
	e.once.Do(func() {
		pm, err := websocket.NewPreparedMessage(websocket.TextMessage, e.Frame)
		if err == nil {
			e.pm = pm
		}
	})
	return e.pm
}
