// Package chats is what visitors and operators do in a chat (SPEC 2, 5):
// writing (a visitor's first message starts the chat), ending it with
// "Cancel" or by its deadline, taking a ticket, transferring, and what a
// widget or console reads. Each is desk's decision on the chat the store
// holds; then the bus announces it to every node.
package chats

import (
	"context"
	"log/slog"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// Deps are what the service needs.
type Deps struct {
	Store    store.Store
	Clock    clock.Clock
	Log      *slog.Logger
	Announce bus.Announcer
	// MaxMessageBytes is the longest message accepted.
	MaxMessageBytes int
	// Timeouts are the periods of chats' deadlines (settings).
	Timeouts func() desk.Timeouts
	// MessagePreview is Settings > "Message preview": operators see the
	// visitor's draft.
	MessagePreview func() bool
	// Appearance is Settings > Appearance: a mailed transcript shows
	// operators' names only if visitors are shown them.
	Appearance func() desk.Appearance
	// Mail, if set (--smtp-url), sends transcripts visitors ask for; Life
	// is what a send in flight runs under.
	Mail     Sender
	Life     context.Context
	Visitors Visitors
	Routing  Routing
	// Connected reports whether a console of the operator is open on any
	// node.
	Connected func(operatorID int64) bool
	// LoadChanged notes that operators' chat counts changed.
	LoadChanged func(operatorIDs ...int64)
	// Wake makes sure the deadline timer fires no later than at.
	Wake func(at time.Time)
	// FileRules are Settings' "Largest file" and "Allowed file types".
	FileRules func() FileRules
	// ListOperators is every operator with status and load (a console's
	// first state).
	ListOperators func(ctx context.Context) ([]protocol.Operator, error)
}

// Visitors is what chats ask of the visitors' presence.
type Visitors interface {
	SeemsToChat(visitorID int64) bool
	CurrentPage(visitorID int64) (desk.Page, bool)
}

// Routing is what chats ask of routing.
type Routing interface {
	RouteNew(ctx context.Context, ids ...int64) map[int64]bool
	MoveQueue(ctx context.Context)
}

// Service is the chats of one site.
type Service struct {
	d       Deps
	uploads uploadLimiter
}

// New builds the service.
func New(d Deps) *Service { return &Service{d: d} }
