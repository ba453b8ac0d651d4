package desk

import (
	"strings"
	"time"
)

// NotifyEvent is something an operator may be alerted to: a sound and a
// browser notification (SPEC 7, "Notifications").
type NotifyEvent string

const (
	// NotifyNewTicket: a chat became waiting (a ticket every online
	// operator sees).
	NotifyNewTicket NotifyEvent = "new_ticket"
	// NotifyAssigned: a chat was assigned to the operator (routed,
	// transferred), not taken by them.
	NotifyAssigned NotifyEvent = "assigned"
	// NotifyMessage: the visitor wrote in a chat of the operator's that
	// they are not looking at.
	NotifyMessage NotifyEvent = "message"
)

// NotifyEvents are every event, in the order the API lists them.
var NotifyEvents = []NotifyEvent{NotifyNewTicket, NotifyAssigned, NotifyMessage}

// Preferences are one operator's notification preferences, kept on the
// server so they follow the operator to every browser.
type Preferences struct {
	OperatorID int64
	// Sound: a short tone for each enabled event.
	Sound bool
	// BrowserNotifications: a browser notification for each enabled
	// event, once the browser's permission is granted.
	BrowserNotifications bool
	// TitleCount: the tab title shows how many chats want attention.
	TitleCount bool
	// NewTicket, Assigned, Message: which events sound and notify.
	NewTicket, Assigned, Message bool
	// UpdatedAt is when they were last changed; zero for the defaults.
	UpdatedAt time.Time
}

// DefaultPreferences are an operator's preferences until they change one:
// everything on. A browser notification still needs the browser's
// permission, which the operator gives from the console.
func DefaultPreferences(operatorID int64) Preferences {
	return Preferences{OperatorID: operatorID, Sound: true, BrowserNotifications: true, TitleCount: true, NewTicket: true, Assigned: true, Message: true}
}

// Events lists the enabled events, in NotifyEvents' order.
func (p Preferences) Events() []NotifyEvent {
	out := []NotifyEvent{}
	for _, e := range NotifyEvents {
		if p.Wants(e) {
			out = append(out, e)
		}
	}
	return out
}

// Wants reports whether the event is enabled.
func (p Preferences) Wants(e NotifyEvent) bool {
	switch e {
	case NotifyNewTicket:
		return p.NewTicket
	case NotifyAssigned:
		return p.Assigned
	case NotifyMessage:
		return p.Message
	}
	return false
}

// PreferencesChange is a change to some preferences: a nil member stays
// as it is. Each member is applied on its own (see store), so two
// consoles changing different members at once both keep their change.
type PreferencesChange struct {
	Sound, BrowserNotifications, TitleCount *bool
	NewTicket, Assigned, Message            *bool
}

// Empty reports whether the change changes nothing.
func (c PreferencesChange) Empty() bool {
	return c == PreferencesChange{}
}

// Apply returns p with the change made.
func (c PreferencesChange) Apply(p Preferences) Preferences {
	set := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.Sound, c.Sound)
	set(&p.BrowserNotifications, c.BrowserNotifications)
	set(&p.TitleCount, c.TitleCount)
	set(&p.NewTicket, c.NewTicket)
	set(&p.Assigned, c.Assigned)
	set(&p.Message, c.Message)
	return p
}

// PreferencesPatch is what a client asks to change (PATCH
// /api/me/preferences): a nil member stays; Events, when given, is the
// whole list of enabled events.
type PreferencesPatch struct {
	Sound, BrowserNotifications, TitleCount *bool
	Events                                  *[]string
}

// CleanPreferencesPatch checks a patch and turns it into a change: every
// event named must be one of NotifyEvents (an empty list turns them all
// off; a name given twice counts once).
func CleanPreferencesPatch(p PreferencesPatch) (PreferencesChange, error) {
	c := PreferencesChange{Sound: p.Sound, BrowserNotifications: p.BrowserNotifications, TitleCount: p.TitleCount}
	if p.Events == nil {
		return c, nil
	}
	on := map[NotifyEvent]bool{}
	for _, name := range *p.Events {
		e := NotifyEvent(name)
		if !knownEvent(e) {
			return PreferencesChange{}, Errorf(CodeInvalid, "Unknown notification event %q: use %s", name, eventNames())
		}
		on[e] = true
	}
	ticket, assigned, message := on[NotifyNewTicket], on[NotifyAssigned], on[NotifyMessage]
	c.NewTicket, c.Assigned, c.Message = &ticket, &assigned, &message
	return c, nil
}

func knownEvent(e NotifyEvent) bool {
	for _, k := range NotifyEvents {
		if k == e {
			return true
		}
	}
	return false
}

// eventNames: "new_ticket, assigned or message".
func eventNames() string {
	names := make([]string, len(NotifyEvents))
	for i, e := range NotifyEvents {
		names[i] = string(e)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
