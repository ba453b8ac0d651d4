package bus

import (
	"context"
	"log/slog"

	"outputdesk/internal/desk"
)

// Announcer is the last step of every change: it tells every node — this
// one too — what happened, on the subjects whose listeners must hear it.
// Each node's sockets render it (realtime) and its views follow it.
type Announcer struct {
	Bus Bus
	Log *slog.Logger
	// Observe, if set, hears what this node announces (the metrics).
	Observe Observer
}

// Observer hears what a node announces: the changes it made itself, once
// in a cluster however many nodes hear them. It must return quickly.
type Observer interface {
	// ChatChanged: this node changed a chat from before to after (a zero
	// before: it created the chat), as Logged tells it.
	ChatChanged(before, after desk.Chat)
	// MessageAnnounced: this node stored m and has published it.
	MessageAnnounced(m desk.Message)
	// PublishFailed: the bus refused a publish.
	PublishFailed()
}

func (a Announcer) publish(subject string, e Event) {
	if err := a.Bus.Publish(context.Background(), subject, e.Encode()); err != nil {
		a.Log.Error("bus publish", "subject", subject, "kind", e.Kind, "err", err)
		if a.Observe != nil {
			a.Observe.PublishFailed()
		}
	}
}

// Chat tells everyone that a chat changed; prevState and prevOp are its
// state and operator before.
func (a Announcer) Chat(c desk.Chat, prevState desk.ChatState, prevOp int64) {
	e := Event{Kind: KindChat, SiteID: c.SiteID, Chat: &c, PrevState: prevState, PrevOperatorID: prevOp}
	a.publish(SiteSubject(c.SiteID), e)
}

// Change tells everyone about a decision applied to a chat: the chat as it
// was before and after, and the system lines it wrote.
func (a Announcer) Change(before, after desk.Chat, lines []desk.Message) {
	a.Logged(before, after)
	a.Chat(after, before.State, before.OperatorID)
	for _, m := range lines {
		a.Message(m)
	}
}

// Logged writes the steps of a chat's life that a change made (started,
// routed, taken, transferred, handed back, ended) at info, one line each.
// The node that made the change calls it, so each step is logged once in a
// cluster — and counted once, by the Observer. Change does it; a caller of
// Chat with the chat as it was before does it itself.
func (a Announcer) Logged(before, after desk.Chat) {
	if a.Observe != nil {
		a.Observe.ChatChanged(before, after)
	}
	for _, e := range desk.Lifecycle(before, after) {
		a.Log.Info(e.What, e.Attrs...)
	}
}

// Message tells everyone watching a chat that a message was stored.
func (a Announcer) Message(m desk.Message) {
	a.publish(ChatSubject(m.ChatID), Event{Kind: KindMessage, Message: &m})
	if a.Observe != nil {
		a.Observe.MessageAnnounced(m)
	}
}

// Read tells an operator's consoles, and the visitor's tabs, that the
// operator read a chat further. Like messages, it goes to whoever watches
// the chat.
func (a Announcer) Read(r desk.ReadMark) {
	a.publish(ChatSubject(r.ChatID), Event{Kind: KindRead, Read: &r})
}

// Note tells the consoles watching a chat of a private note. Widgets watch
// the chat's subject too: they render nothing for it (realtime/event.go).
func (a Announcer) Note(n desk.Note) {
	a.publish(ChatSubject(n.ChatID), Event{Kind: KindNote, Note: &n})
}

// Rating tells the site's consoles that a visitor rated their chat: the
// chat's operator's consoles and those watching it show it. On the site
// subject, as the chat has ended and its operator may no longer watch it.
func (a Announcer) Rating(siteID int64, r desk.Rating) {
	a.publish(SiteSubject(siteID), Event{Kind: KindRating, SiteID: siteID, Rating: &r})
}

// VisitorRenamed tells every node a visitor's new name: each updates its
// own tabs of theirs, which the Visitor List rows show.
func (a Announcer) VisitorRenamed(siteID, visitorID int64, name string) {
	a.publish(SiteSubject(siteID), Event{Kind: KindVisitorRenamed, SiteID: siteID, Renamed: &VisitorName{VisitorID: visitorID, Name: name}})
}

// OfflineMessage tells every node's consoles of a message left, or marked
// "Handled".
func (a Announcer) OfflineMessage(m desk.OfflineMessage) {
	a.publish(SiteSubject(m.SiteID), Event{Kind: KindOfflineMessage, SiteID: m.SiteID, OfflineMessage: &m})
}

// Typing tells whoever watches a chat that someone in it types, or has
// stopped. It is not stored: a node that misses it shows nothing wrong for
// long, as the next one (or the message) follows.
func (a Announcer) Typing(t desk.Typing) {
	a.publish(ChatSubject(t.ChatID), Event{Kind: KindTyping, Typing: &t})
}

// Operator tells every console an operator's status and load.
func (a Announcer) Operator(op desk.Operator, status desk.Status, active int) {
	a.publish(SiteSubject(op.SiteID), Event{Kind: KindOperator, SiteID: op.SiteID, Operator: &op, Status: status, Active: active})
}

// Invitation tells everyone an invitation opened or closed: the visitor's
// tabs show or close it, and every node's Visitor List follows.
func (a Announcer) Invitation(inv desk.Invitation) {
	e := Event{Kind: KindInvitation, SiteID: inv.SiteID, Invitation: &inv}
	a.publish(SiteSubject(inv.SiteID), e)
}

// Site tells every node that the site's settings or rules changed (kind
// says which), so each reloads what it caches.
func (a Announcer) Site(siteID int64, kind Kind) {
	a.publish(SiteSubject(siteID), Event{Kind: kind, SiteID: siteID})
}

// SessionEnded tells every node to close a logged-out session's consoles.
func (a Announcer) SessionEnded(siteID int64, tokenHash string) {
	a.publish(SiteSubject(siteID), Event{Kind: KindSessionEnded, SiteID: siteID, SessionHash: tokenHash})
}

// Login tells every node's log-in throttle of an attempt's outcome.
func (a Announcer) Login(siteID int64, attempt LoginAttempt) {
	a.publish(SiteSubject(siteID), Event{Kind: KindLogin, SiteID: siteID, Login: &attempt})
}
