package desk

import "strings"

// NeutralOperatorName is what visitors see in place of an operator's name
// while Settings > Appearance > "Show operators' names" is off: in the
// operator's messages, "Support joined the chat", "Support is typing…",
// "Chatting with Support", "Support ended the chat." and a manual
// invitation's {operator}.
const NeutralOperatorName = "Support"

// Neutral system lines for visitors who are not shown names: the transfer
// and hand-back lines name operators (TransferLine, HandedBackText).
const (
	TextTransferredNeutral = "The chat was transferred to another operator."
	TextHandedBackNeutral  = "Your operator went offline. The chat is waiting for another operator."
)

// VisitorOperatorName is the name a visitor is shown for an operator.
func VisitorOperatorName(name string, shown bool) string {
	if shown || name == "" {
		return name
	}
	return NeutralOperatorName
}

// AnonymousMessage is a message as a visitor who is not shown operators'
// names sees it: an operator's name replaced, and a system line that names
// operators replaced by its neutral line. The lines are desk's own, so
// they are recognised by their fixed words; the whole line is replaced, so
// no part of a name can remain.
func AnonymousMessage(m Message) Message {
	if m.Author == AuthorOperator {
		m.OperatorName = NeutralOperatorName
	}
	if m.Author == AuthorSystem {
		switch {
		case strings.HasSuffix(m.Body, handedBackSuffix):
			m.Body = TextHandedBackNeutral
		case strings.Contains(m.Body, transferredInfix):
			m.Body = TextTransferredNeutral
		}
	}
	return m
}

const (
	handedBackSuffix = " went offline. The chat is waiting for another operator."
	transferredInfix = " transferred the chat to "
)

// AnonymousMessages is AnonymousMessage of each, in a new slice.
func AnonymousMessages(ms []Message) []Message {
	out := make([]Message, len(ms))
	for i, m := range ms {
		out[i] = AnonymousMessage(m)
	}
	return out
}

// AnonymousChat is a chat as such a visitor sees it: its operator, who
// ended it and its last message without names. Its id stays, so a widget
// still tells that another operator joined.
func AnonymousChat(c Chat) Chat {
	c.OperatorName = VisitorOperatorName(c.OperatorName, false)
	c.EndedByOperatorName = VisitorOperatorName(c.EndedByOperatorName, false)
	if c.LastMessage != nil {
		m := AnonymousMessage(*c.LastMessage)
		c.LastMessage = &m
	}
	c.Routing = nil // never shown to visitors; it names operators
	return c
}

// AnonymousInvitation is an invitation as such a visitor sees it. Its text
// was filled with NeutralOperatorName when it was sent with names off; one
// sent before names were turned off keeps its words.
func AnonymousInvitation(inv Invitation) Invitation {
	inv.OperatorName = VisitorOperatorName(inv.OperatorName, false)
	return inv
}

// AnonymousTyping is an operator's typing as such a visitor sees it.
func AnonymousTyping(t Typing) Typing {
	t.OperatorName = VisitorOperatorName(t.OperatorName, false)
	return t
}
