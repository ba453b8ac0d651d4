package realtime

import (
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// audience is who a socket is: a console or a widget tab. They see one
// event differently (a console's chat object has more in it).
type audience uint8

const (
	consoles audience = iota
	widgets
	// anonWidgets are widget tabs of a site that does not show operators'
	// names (Settings > Appearance): what they get carries none.
	anonWidgets
	audiences
)

// event is a bus event as this node's sockets get it: decoded once, and
// its frame for each audience rendered once and prepared once — compressed
// once for every console that sends it, rather than once per socket.
type event struct {
	*bus.Event
	now time.Time

	once  [audiences]sync.Once
	frame [audiences][]byte
	pm    [audiences]*websocket.PreparedMessage

	lastOnce sync.Once
	last     []byte
}

func newEvent(e *bus.Event, now time.Time) *event { return &event{Event: e, now: now} }

// frameFor is the frame the audience gets, or nil if it gets none.
func (e *event) frameFor(a audience) []byte {
	e.render(a)
	return e.frame[a]
}

// preparedFor is frameFor, prepared for many sockets.
func (e *event) preparedFor(a audience) *websocket.PreparedMessage {
	e.render(a)
	return e.pm[a]
}

func (e *event) render(a audience) {
	e.once[a].Do(func() {
		e.frame[a] = renderFor(e.Event, a, e.now)
		if e.frame[a] != nil {
			if pm, err := websocket.NewPreparedMessage(websocket.TextMessage, e.frame[a]); err == nil {
				e.pm[a] = pm
			}
		}
	})
}

// renderFor renders what happened as the frame an audience's sockets show.
func renderFor(e *bus.Event, a audience, now time.Time) []byte {
	if a == anonWidgets {
		return renderFor(anonymous(e), widgets, now)
	}
	switch {
	case e.Kind == bus.KindMessage && e.Message != nil:
		return protocol.MessageFrame(protocol.MessageOf(*e.Message))
	case e.Kind == bus.KindChat && e.Chat != nil && a == consoles:
		return protocol.ChatFrame(protocol.ChatOf(*e.Chat, now))
	case e.Kind == bus.KindChat && e.Chat != nil:
		return protocol.WidgetChatFrame(protocol.WidgetChatOf(*e.Chat))
	case e.Kind.Reloads() && a == consoles:
		return protocol.SettingsChangedFrame(settingsWhat[e.Kind])
	case e.Kind == bus.KindCannedReplies && a == consoles:
		return protocol.SettingsChangedFrame(protocol.CannedRepliesWhat)
	case e.Kind == bus.KindPreferences && a == consoles:
		return protocol.SettingsChangedFrame(protocol.PreferencesWhat)
	case e.Kind == bus.KindOperator && e.Operator != nil && a == consoles:
		return protocol.OperatorFrame(protocol.OperatorOf(*e.Operator, e.Status, e.Active))
	case e.Kind == bus.KindRead && e.Read != nil && a == consoles:
		return protocol.ReadFrame(e.Read.ChatID, e.Read.Seq)
	case e.Kind == bus.KindRead && e.Read != nil:
		return protocol.SeenFrame(e.Read.ChatID, e.Read.Seq)
	case e.Kind == bus.KindNote && e.Note != nil && a == consoles: // never widgets: private
		return protocol.NoteFrame(protocol.NoteOf(*e.Note))
	case e.Kind == bus.KindOfflineMessage && e.OfflineMessage != nil && a == consoles:
		return protocol.OfflineMessageFrame(protocol.OfflineMessageOf(*e.OfflineMessage))
	case e.Kind == bus.KindAvailability && a == widgets:
		return protocol.AvailabilityFrame(e.Online)
	case e.Kind == bus.KindRating && e.Rating != nil && a == consoles:
		return protocol.RatingFrame(e.Rating.ChatID, protocol.RatingOf(*e.Rating))
	case e.Kind == bus.KindTyping && e.Typing != nil:
		return typingFrame(e.Typing, a)
	case e.Kind == bus.KindInvitation && e.Invitation != nil && a == widgets:
		inv := *e.Invitation
		if inv.State == desk.InvitationOpen {
			return protocol.InvitationFrame(protocol.InvitationOf(inv))
		}
		return protocol.InvitationClosedFrame(inv.ID, string(inv.State))
	}
	return nil
}

// anonymous is an event as a visitor who is not shown operators' names
// sees it (desk decides what changes); the event itself is shared.
func anonymous(e *bus.Event) *bus.Event {
	out := *e
	if e.Message != nil {
		m := desk.AnonymousMessage(*e.Message)
		out.Message = &m
	}
	if e.Chat != nil {
		c := desk.AnonymousChat(*e.Chat)
		out.Chat = &c
	}
	if e.Typing != nil {
		t := desk.AnonymousTyping(*e.Typing)
		out.Typing = &t
	}
	if e.Invitation != nil {
		inv := desk.AnonymousInvitation(*e.Invitation)
		out.Invitation = &inv
	}
	return &out
}

// messageFrame is a stored message as a frame for a socket's audience.
func messageFrame(m desk.Message, a audience) []byte {
	if a == anonWidgets {
		m = desk.AnonymousMessage(m)
	}
	return protocol.MessageFrame(protocol.MessageOf(m))
}

// typingFrame: a console sees the visitor type, a widget its operator; no
// one is shown their own side typing.
func typingFrame(t *desk.Typing, a audience) []byte {
	switch {
	case t.Author == desk.AuthorVisitor && a == consoles:
		return protocol.VisitorTypingFrame(t.ChatID, t.Active, t.Draft)
	case t.Author == desk.AuthorOperator && a == widgets:
		return protocol.OperatorTypingFrame(t.ChatID, protocol.OperatorRef{ID: t.OperatorID, Name: t.OperatorName}, t.Active)
	}
	return nil
}

// settingsWhat names a reloaded kind as settings.changed frames do.
var settingsWhat = map[bus.Kind]string{bus.KindSettings: "settings", bus.KindActionRules: "action_rules", bus.KindInviteRules: "invitation_rules"}

// lastFrame is a chat event's latest message as a message frame: a socket
// that starts watching the chat with only that message missing sends it
// without reading the store.
func (e *event) lastFrame() (seq int64, frame []byte) {
	if e.Chat == nil || e.Chat.LastMessage == nil {
		return 0, nil
	}
	e.lastOnce.Do(func() { e.last = protocol.MessageFrame(protocol.MessageOf(*e.Chat.LastMessage)) })
	return e.Chat.LastMessage.Seq, e.last
}
