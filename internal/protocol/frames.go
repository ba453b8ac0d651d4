package protocol

import (
	"encoding/json"
	"time"
)

// ClientFrame is any frame a widget or console sends; each type uses some of
// the members.
type ClientFrame struct {
	Type string `json:"type"`
	Ref  string `json:"ref"`

	// hello (widget)
	Token     string  `json:"token"`
	Page      *PageIn `json:"page"`
	Visible   *bool   `json:"visible"`
	UserAgent string  `json:"user_agent"`
	LastSeq   int64   `json:"last_seq"`
	// hello (console)
	Watch    map[string]int64 `json:"watch"`
	Visitors bool             `json:"visitors"`

	// message.send, chat.watch, chat.unwatch, invitation.dismiss
	ChatID       int64  `json:"chat_id"`
	ClientID     string `json:"client_id"`
	Body         string `json:"body"`
	InvitationID int64  `json:"invitation_id"`

	// chat.read
	Seq int64 `json:"seq"`
	// typing
	Active *bool  `json:"active"`
	Draft  string `json:"draft"`
	// chat.rate
	Rating  string `json:"rating"`
	Comment string `json:"comment"`
	// visitor.identify, offline.message (with Body)
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Client frame types.
const (
	TypeHello               = "hello"
	TypePage                = "page"
	TypeMessageSend         = "message.send"
	TypeChatEnd             = "chat.end"
	TypeInvitationDismiss   = "invitation.dismiss"
	TypeChatWatch           = "chat.watch"
	TypeChatUnwatch         = "chat.unwatch"
	TypeVisitorsSubscribe   = "visitors.subscribe"
	TypeVisitorsUnsubscribe = "visitors.unsubscribe"
	TypeChatRead            = "chat.read"
	TypeTyping              = "typing"
	TypeChatRate            = "chat.rate"
	TypeVisitorIdentify     = "visitor.identify"
	TypeOfflineMessage      = "offline.message"
	TypeTranscriptEmail     = "transcript.email"
)

// MaxRefLength bounds a client's ref.
const MaxRefLength = 64

// Frame encodes a server frame: {"type": typ, ...members}.
func Frame(typ string, members map[string]any) []byte {
	m := make(map[string]any, len(members)+1)
	for k, v := range members {
		m[k] = v
	}
	m["type"] = typ
	b, err := json.Marshal(m)
	if err != nil {
		panic("protocol: frame does not encode: " + err.Error())
	}
	return b
}

// Ack replies to a client frame.
func Ack(ref string, members map[string]any) []byte {
	if members == nil {
		members = map[string]any{}
	}
	members["ref"] = ref
	return Frame("ack", members)
}

// ErrorFrame replies to a client frame that failed.
func ErrorFrame(ref, code, message string) []byte {
	return Frame("error", map[string]any{"ref": ref, "code": code, "message": message})
}

// MessageFrame carries one message.
func MessageFrame(m Message) []byte { return Frame("message", map[string]any{"message": m}) }

// ChatFrame carries a chat to a console.
func ChatFrame(c Chat) []byte { return Frame("chat", map[string]any{"chat": c}) }

// WidgetChatFrame carries a chat to a widget.
func WidgetChatFrame(c WidgetChat) []byte { return Frame("chat", map[string]any{"chat": c}) }

// OperatorFrame carries an operator's change to consoles.
func OperatorFrame(o Operator) []byte { return Frame("operator", map[string]any{"operator": o}) }

// InvitationFrame opens an invitation in the widget.
func InvitationFrame(inv Invitation) []byte {
	return Frame("invitation", map[string]any{"invitation": inv})
}

// InvitationClosedFrame closes it in every tab.
func InvitationClosedFrame(id int64, state string) []byte {
	return Frame("invitation.closed", map[string]any{"invitation_id": id, "state": state})
}

// VisitorsFrame is one batch of Visitor List changes.
func VisitorsFrame(reset bool, upsert []VisitorRow, remove []int64, now time.Time) []byte {
	if upsert == nil {
		upsert = []VisitorRow{}
	}
	if remove == nil {
		remove = []int64{}
	}
	return Frame("visitors", map[string]any{"reset": reset, "upsert": upsert, "remove": remove, "server_time": Time(now)})
}

// OfflineMessageFrame tells consoles of an offline message left or handled.
func OfflineMessageFrame(m OfflineMessage) []byte {
	return Frame("offline_message", map[string]any{"offline_message": m})
}

// AvailabilityFrame tells a widget whether an operator is Online now.
func AvailabilityFrame(online bool) []byte {
	return Frame("availability", map[string]any{"online": online})
}

// RatingFrame tells consoles that a visitor rated a chat.
func RatingFrame(chatID int64, r Rating) []byte {
	return Frame("rating", map[string]any{"chat_id": chatID, "rating": r})
}

// NoteFrame carries a private note to the consoles watching its chat.
func NoteFrame(n Note) []byte { return Frame("note", map[string]any{"note": n}) }

// ReadFrame tells an operator's consoles how far the operator has read a
// chat (on any of their consoles).
func ReadFrame(chatID, seq int64) []byte {
	return Frame("read", map[string]any{"chat_id": chatID, "seq": seq})
}

// SeenFrame tells a visitor's tabs how far an operator has read their chat:
// their messages up to seq show "Seen".
func SeenFrame(chatID, seq int64) []byte {
	return Frame("seen", map[string]any{"chat_id": chatID, "seq": seq})
}

// VisitorTypingFrame tells a console that the visitor types (with their
// draft under "Message preview"), or has stopped.
func VisitorTypingFrame(chatID int64, active bool, draft string) []byte {
	m := map[string]any{"chat_id": chatID, "author": "visitor", "active": active}
	if draft != "" {
		m["draft"] = draft
	}
	return Frame("typing", m)
}

// OperatorTypingFrame tells a visitor's tabs that their operator types, or
// has stopped.
func OperatorTypingFrame(chatID int64, op OperatorRef, active bool) []byte {
	return Frame("typing", map[string]any{"chat_id": chatID, "author": "operator", "operator": op, "active": active})
}

// SettingsChangedFrame tells a console that an admin changed what: "settings",
// "action_rules" or "invitation_rules"; the console reads them again.
func SettingsChangedFrame(what string) []byte {
	return Frame("settings.changed", map[string]any{"what": what})
}
