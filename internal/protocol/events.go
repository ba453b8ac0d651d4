package protocol

import "encoding/json"

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
	Frame          json.RawMessage `json:"frame"`
	// LastSeq and Last are a chat event's latest message and its message
	// frame: a socket that starts watching the chat with only that message
	// missing sends it without reading the store.
	LastSeq int64           `json:"last_seq,omitempty"`
	Last    json.RawMessage `json:"last,omitempty"`
}

// Event kinds.
const (
	EventMessage    = "message"
	EventChat       = "chat"
	EventOperator   = "operator"
	EventInvitation = "invitation"
)

// Encode returns the event as bus payload.
func (e Event) Encode() []byte {
	b, err := json.Marshal(e)
	if err != nil {
		panic("protocol: event does not encode: " + err.Error())
	}
	return b
}

// DecodeEvent reads a bus payload.
func DecodeEvent(b []byte) (Event, error) {
	var e Event
	err := json.Unmarshal(b, &e)
	return e, err
}
