package bus

import (
	"encoding/json"
	"fmt"
	"net/netip"

	"outputdesk/internal/desk"
)

// Event is what happened, as it travels between nodes: a chat changed, a
// message was stored, an operator's status or load changed, settings
// changed… Every node renders what its own sockets show from it, and
// updates its own views (the Visitor List, caches, timers) from it: nothing
// a node shows depends on a call another node would not see.
type Event struct {
	Kind   Kind  `json:"kind"`
	SiteID int64 `json:"site_id,omitempty"`

	// KindChat: the chat after the change, and what it was before.
	Chat           *desk.Chat     `json:"chat,omitempty"`
	PrevState      desk.ChatState `json:"prev_state,omitempty"`
	PrevOperatorID int64          `json:"prev_operator_id,omitempty"`

	// KindMessage: the message stored.
	Message *desk.Message `json:"message,omitempty"`

	// KindOperator: the operator as routing sees them now (their password
	// hash does not travel).
	Operator *desk.Operator `json:"operator,omitempty"`
	Status   desk.Status    `json:"status,omitempty"`
	Active   int            `json:"active,omitempty"`

	// KindInvitation: the invitation after the change.
	Invitation *desk.Invitation `json:"invitation,omitempty"`

	// KindRead: an operator's read position in a chat moved up.
	Read *desk.ReadMark `json:"read,omitempty"`

	// KindNote: a private note added to a chat (consoles only).
	Note *desk.Note `json:"note,omitempty"`

	// KindRating: a visitor rated their chat.
	Rating *desk.Rating `json:"rating,omitempty"`

	// KindVisitorRenamed: a visitor gave a name (their email stays in the
	// store: it is not needed live).
	Renamed *VisitorName `json:"renamed,omitempty"`

	// KindOfflineMessage: a visitor left a message, or it was handled.
	OfflineMessage *desk.OfflineMessage `json:"offline_message,omitempty"`

	// KindAvailability: whether an operator is Online now, as this node
	// hears it (never on the bus: each node works it out; realtime only).
	Online bool `json:"online,omitempty"`

	// KindTyping: someone in a chat typing, or having stopped.
	Typing *desk.Typing `json:"typing,omitempty"`

	// KindSessionEnded: the session that logged out.
	SessionHash string `json:"session_hash,omitempty"`

	// KindCannedReplies: whose personal replies changed; 0 for the shared
	// ones (canned.go). KindPreferences: whose preferences changed
	// (preferences.go).
	OwnerID int64 `json:"owner_id,omitempty"`

	// KindLogin: a log-in attempt's outcome, which every node's throttle
	// counts.
	Login *LoginAttempt `json:"login,omitempty"`
}

// VisitorName is the name a visitor gave.
type VisitorName struct {
	VisitorID int64  `json:"visitor_id"`
	Name      string `json:"name"`
}

// LoginAttempt is a log-in that failed, or succeeded, on some node.
type LoginAttempt struct {
	Node   string     `json:"node"`
	Email  string     `json:"email"`
	Client netip.Addr `json:"client"` // the zero Addr when unknown
	Failed bool       `json:"failed"`
}

// Kind is what an event is about.
type Kind string

const (
	KindChat           Kind = "chat"
	KindMessage        Kind = "message"
	KindOperator       Kind = "operator"
	KindInvitation     Kind = "invitation"
	KindSettings       Kind = "settings"        // the site's settings or origins changed
	KindActionRules    Kind = "action_rules"    // "Chat Routing" rules changed
	KindInviteRules    Kind = "invite_rules"    // "Send Invitation" rules changed
	KindSessionEnded   Kind = "session_ended"   // a console session logged out
	KindLogin          Kind = "login"           // a log-in attempt failed or succeeded
	KindRead           Kind = "read"            // an operator read a chat further
	KindTyping         Kind = "typing"          // someone in a chat types, or stopped
	KindNote           Kind = "note"            // a private note was added to a chat
	KindRating         Kind = "rating"          // a visitor rated their chat
	KindVisitorRenamed Kind = "visitor_renamed" // a visitor gave a name
	KindOfflineMessage Kind = "offline_message" // "Leave a message": left, or handled
	KindAvailability   Kind = "availability"    // an operator is Online, or none is (local)
)

// Reloads reports whether every node reloads a cache on hearing the event
// (settings, rules): its sockets are told only once the node has.
func (k Kind) Reloads() bool {
	return k == KindSettings || k == KindActionRules || k == KindInviteRules
}

// Encode returns the event as a bus payload.
func (e Event) Encode() []byte {
	if e.Operator != nil {
		op := *e.Operator
		op.PasswordHash = ""
		e.Operator = &op
	}
	b, err := json.Marshal(e)
	if err != nil {
		panic("bus: event does not encode: " + err.Error())
	}
	return b
}

// DecodeEvent reads a bus payload.
func DecodeEvent(b []byte) (Event, error) {
	var e Event
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("bus: event does not decode: %w", err)
	}
	return e, nil
}

// ChatID is the chat the event is about, if any.
func (e Event) ChatID() int64 {
	switch {
	case e.Chat != nil:
		return e.Chat.ID
	case e.Message != nil:
		return e.Message.ChatID
	case e.Read != nil:
		return e.Read.ChatID
	case e.Typing != nil:
		return e.Typing.ChatID
	case e.Note != nil:
		return e.Note.ChatID
	case e.Rating != nil:
		return e.Rating.ChatID
	}
	return 0
}
