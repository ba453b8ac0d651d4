package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Event is what travels on the bus: a frame for clients, with the little a
// node needs to route it to the right sockets without decoding the frame.
type Event struct {
	Kind           string          `json:"kind"` // "message", "chat", "operator", "invitation"
	ChatID         int64           `json:"chat_id,omitempty"`
	Seq            int64           `json:"seq,omitempty"`
	State          string          `json:"state,omitempty"`            // chat events: the chat's state
	PrevState      string          `json:"prev_state,omitempty"`       // chat events: its state before
	OperatorID     int64           `json:"operator_id,omitempty"`      // chat events: its operator now
	PrevOperatorID int64           `json:"prev_operator_id,omitempty"` // chat events: its operator before
	Frame          json.RawMessage `json:"-"`
	// LastSeq and Last are a chat event's latest message and its message
	// frame: a socket that starts watching the chat with only that message
	// missing sends it without reading the store.
	LastSeq int64           `json:"last_seq,omitempty"`
	Last    json.RawMessage `json:"-"`
}

// Event kinds.
const (
	EventMessage    = "message"
	EventChat       = "chat"
	EventOperator   = "operator"
	EventInvitation = "invitation"
)

// Encode returns the event as bus payload: the routing members as a JSON
// line, then the Last frame as a line, then the frame as it is. The frames
// are compact JSON (no newline) and travel without being parsed again.
func (e Event) Encode() []byte {
	head, err := json.Marshal(e)
	if err != nil {
		panic("protocol: event does not encode: " + err.Error())
	}
	b := make([]byte, 0, len(head)+len(e.Last)+len(e.Frame)+2)
	b = append(append(b, head...), '\n')
	b = append(append(b, e.Last...), '\n')
	return append(b, e.Frame...)
}

// DecodeEvent reads a bus payload.
func DecodeEvent(b []byte) (Event, error) {
	var e Event
	head, rest, ok := bytes.Cut(b, []byte{'\n'})
	last, frame, ok2 := bytes.Cut(rest, []byte{'\n'})
	if !ok || !ok2 {
		return e, errors.New("protocol: a bus event has no frame")
	}
	if err := json.Unmarshal(head, &e); err != nil {
		return e, err
	}
	if len(last) > 0 {
		e.Last = last
	}
	e.Frame = frame
	return e, nil
}
