package desk

import (
	"errors"
	"time"
)

// ChatChange is what one decision does to one chat: the chat as it is to be
// kept, the routing entry to add to its record, and the system lines to
// write. Decisions are pure; the store applies a change atomically, and only
// to the chat as the decision read it.
type ChatChange struct {
	// Chat is the chat after the decision. When Changed is false it is the
	// chat as read, and nothing is written.
	Chat    Chat
	Changed bool
	// Routing, if set, is added to the chat's routing record (SPEC 3.6).
	Routing *RoutingEntry
	// Lines are system lines to add, in order; the store numbers them.
	Lines []Message
	// Assigned is set when the chat goes to Chat.OperatorID now: the store
	// stamps the operator's last assignment with Chat.AssignedAt.
	Assigned bool
}

// ErrNoRoom says the operator a routing decision picked has no room any
// more (another chat took the last slot since): decide again.
var ErrNoRoom = errors.New("desk: the operator picked has no room left")

func unchanged(c Chat) ChatChange { return ChatChange{Chat: c} }

func systemLine(body string, at time.Time) Message {
	return Message{ChatID: 0, Author: AuthorSystem, Body: body, CreatedAt: at}
}

// assignTo gives a chat to an operator now, with the entry saying why.
func assignTo(c Chat, opID int64, opName string, e RoutingEntry) ChatChange {
	c.State, c.OperatorID, c.OperatorName, c.AssignedAt = ChatActive, opID, opName, e.At
	c.Routing = append(append([]RoutingEntry(nil), c.Routing...), e)
	return ChatChange{Chat: c, Changed: true, Routing: &e, Assigned: true}
}

// record adds a routing entry to a chat that stays where it is.
func record(c Chat, e RoutingEntry) ChatChange {
	c.Routing = append(append([]RoutingEntry(nil), c.Routing...), e)
	return ChatChange{Chat: c, Changed: true, Routing: &e}
}

// ofSite hides chats of other sites: they are not found.
func ofSite(c Chat, siteID int64) error {
	if c.SiteID != siteID {
		return NotFound("chat")
	}
	return nil
}
