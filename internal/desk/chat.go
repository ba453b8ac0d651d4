package desk

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ChatState is where a chat is in its life.
type ChatState string

const (
	ChatWaiting ChatState = "waiting" // a ticket: unassigned
	ChatActive  ChatState = "active"  // assigned to one operator
	ChatEnded   ChatState = "ended"
)

// Author is who wrote a message, started a chat or ended it.
type Author string

const (
	AuthorVisitor  Author = "visitor"
	AuthorOperator Author = "operator"
	AuthorSystem   Author = "system"
)

// EndReason is why a chat ended.
type EndReason string

const (
	EndCancel     EndReason = "cancel"     // someone clicked "Cancel"
	EndInactivity EndReason = "inactivity" // the visitor did not write in time
	EndLeft       EndReason = "left"       // the visitor left and did not come back in time
)

// The placeholders both sides and the Visitor List show (SPEC 5).
const (
	TextChatEnded         = "Chat Ended"
	TextInactivityEnded   = "Due to inactivity, chat has ended"
	TextVisitorLeft       = "Visitor left the site"
	TextVisitorReturned   = "Visitor returned to the site"
	TextTakeBeforeWriting = "Take this chat before writing in it"
)

// EndText is the placeholder for a chat that ended for reason.
func EndText(r EndReason) string {
	if r == EndCancel {
		return TextChatEnded
	}
	return TextInactivityEnded
}

// Chat is a conversation between one visitor and at most one operator.
type Chat struct {
	ID           int64
	SiteID       int64
	VisitorID    int64
	VisitorName  string
	VisitorEmail string // as the visitor gave it ("" until then)
	OperatorID   int64  // 0 while waiting
	OperatorName string
	State        ChatState
	StartedBy    Author // visitor, or operator for an accepted invitation
	InvitationID int64
	Page         Page // the visitor's page when the chat was last routed
	CreatedAt    time.Time
	AssignedAt   time.Time
	LastSeq      int64
	Routing      []RoutingEntry

	// FirstAssignedAt is the chat's first assignment to an operator, and
	// FirstResponseAt the first message an operator wrote in it; zero
	// until they happen. The store sets each once, in the transaction that
	// records it, so History and Reports read them without the messages.
	FirstAssignedAt time.Time
	FirstResponseAt time.Time

	// Rating is the visitor's "Rate this chat", once given; nil before.
	Rating *Rating

	// VisitorActiveAt is the visitor's last message, or the chat's start.
	VisitorActiveAt time.Time
	// VisitorLeftAt is when the visitor left the site; zero while present.
	VisitorLeftAt time.Time
	// Deadline is when the chat ends by itself, for DeadlineReason; zero
	// once ended.
	Deadline       time.Time
	DeadlineReason EndReason

	EndedAt time.Time
	EndedBy Author
	// EndedByOperatorID and Name say which operator clicked "Cancel".
	EndedByOperatorID   int64
	EndedByOperatorName string
	EndReason           EndReason

	// Version counts the chat's recorded changes (0 when created): of two
	// copies of one chat, say two events from two nodes arriving out of
	// order, the higher version is the newer.
	Version int64

	// LastMessage is filled by chat lists, for previews; nil otherwise.
	LastMessage *Message
}

// Open reports whether the chat has not ended.
func (c Chat) Open() bool { return c.State != ChatEnded }

// RoutingEntry records one routing decision and why (SPEC 3.6).
type RoutingEntry struct {
	At         time.Time
	Kind       RoutingKind
	Text       string
	PassedOver []string
}

// Message is one line of a chat.
type Message struct {
	ChatID       int64
	Seq          int64
	Author       Author
	OperatorID   int64
	OperatorName string
	Body         string
	ClientID     string
	CreatedAt    time.Time
	// File is the file the message sends, if it sends one; Body is then
	// the file's name, which is what a client that shows no files shows.
	File *File
}

// MaxClientIDLength bounds the retry id a client picks, in characters
// (Unicode code points), as docs/protocol.md states it.
const MaxClientIDLength = 64

// CleanMessage trims a message body and checks it against the size limit
// (bytes) and the client id rules (1 to MaxClientIDLength characters).
func CleanMessage(body, clientID string, maxBytes int) (string, error) {
	body = strings.TrimSpace(body)
	if len(body) > maxBytes {
		return "", Errorf(CodeTooLarge, "Message is longer than %d bytes", maxBytes)
	}
	if body == "" {
		return "", Errorf(CodeInvalid, "Message is empty")
	}
	if clientID == "" || utf8.RuneCountInString(clientID) > MaxClientIDLength {
		return "", Errorf(CodeInvalid, "client_id must be 1 to %d characters", MaxClientIDLength)
	}
	return body, nil
}
