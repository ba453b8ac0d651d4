// Package store declares the records Output Desk keeps and the Store the
// domain talks to. sqlite/ implements it for one node; a PostgreSQL
// implementation for several nodes passes the same storetest suite.
//
// Every method that decides between concurrent callers (routing, taking a
// ticket, ending a chat, storing a message once) does so atomically inside
// the store, so the rules hold however many nodes and requests race.
package store

import (
	"context"
	"time"

	"outputdesk/internal/desk"
)

// Store is everything the application keeps. Errors for missing records
// match desk.ErrNotFound; uniqueness violations match desk.ErrConflict.
type Store interface {
	Sites
	Operators
	Sessions
	Visitors
	Chats
	Messages
	Rules
	Invitations
	// Ping answers when the store can serve (GET /healthz).
	Ping(ctx context.Context) error
	Close() error
}

// Sites holds sites and their console settings.
type Sites interface {
	// EnsureSite returns the first site, creating it as given if there is
	// none yet (first start).
	EnsureSite(ctx context.Context, s desk.Site, settings desk.Settings) (desk.Site, error)
	Site(ctx context.Context, id int64) (desk.Site, error)
	SiteByKey(ctx context.Context, key string) (desk.Site, error)
	SetAllowedOrigins(ctx context.Context, siteID int64, origins []string) error
	Settings(ctx context.Context, siteID int64) (desk.Settings, error)
	SaveSettings(ctx context.Context, siteID int64, s desk.Settings) error
}

// Operators holds operator accounts.
type Operators interface {
	// CreateOperator fails with desk.ErrConflict if the email is in use.
	CreateOperator(ctx context.Context, o desk.Operator) (desk.Operator, error)
	// CreateFirstOperator creates o only if no operator exists at all, and
	// fails with desk.ErrConflict otherwise.
	CreateFirstOperator(ctx context.Context, o desk.Operator) (desk.Operator, error)
	Operator(ctx context.Context, id int64) (desk.Operator, error)
	OperatorByEmail(ctx context.Context, email string) (desk.Operator, error)
	Operators(ctx context.Context, siteID int64) ([]desk.Operator, error)
	CountOperators(ctx context.Context) (int, error)
	// UpdateOperator saves every field but ID, SiteID, CreatedAt and
	// LastAssignedAt.
	UpdateOperator(ctx context.Context, o desk.Operator) (desk.Operator, error)
	// ActiveChatCounts is each operator's number of active chats.
	ActiveChatCounts(ctx context.Context, siteID int64) (map[int64]int, error)
}

// Sessions holds console log-ins.
type Sessions interface {
	CreateSession(ctx context.Context, s desk.Session) error
	Session(ctx context.Context, tokenHash string) (desk.Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) error
}

// Visitors holds visitors and the pages they viewed.
type Visitors interface {
	CreateVisitor(ctx context.Context, v desk.Visitor) (desk.Visitor, error)
	Visitor(ctx context.Context, id int64) (desk.Visitor, error)
	VisitorByToken(ctx context.Context, siteID int64, tokenHash string) (desk.Visitor, error)
	SetVisitorUserAgent(ctx context.Context, id int64, ua string) error
	AddPageView(ctx context.Context, pv desk.PageView) (desk.PageView, error)
	// PageViews lists a visit's page views, oldest first.
	PageViews(ctx context.Context, visitorID int64, visitID string) ([]desk.PageView, error)
}

// NewChat is a chat to create with its first messages.
type NewChat struct {
	Chat     desk.Chat
	Messages []desk.Message // seq and chat id are set by the store
	// AcceptInvitation, if set, is the visitor's open invitation the chat
	// accepts; it is marked accepted in the same transaction, and creation
	// fails with desk.ErrConflict if it is no longer open.
	AcceptInvitation int64
}

// ChatEnd is how a chat ends.
type ChatEnd struct {
	By         desk.Author
	OperatorID int64 // who, when By is an operator
	Reason     desk.EndReason
	At         time.Time
}

// ChatFilter selects chats for lists and History. Zero fields do not filter.
type ChatFilter struct {
	SiteID     int64
	States     []desk.ChatState
	OperatorID int64
	VisitorID  int64
	Text       string // in any message body
	From, To   time.Time
	BeforeID   int64 // for paging: only chats with a smaller id
	Limit      int
}

// RoutingState is a consistent view of everything routing decides on, read
// inside the routing transaction.
type RoutingState struct {
	Settings  desk.Settings
	Rules     []desk.ActionRule
	Operators []desk.Operator
	Active    map[int64]int     // active chats per operator
	Waiting   []desk.QueuedChat // oldest first
}

// Routed is one routing outcome to apply: assign the chat when the decision
// names an operator; otherwise only record the decision if Record is set.
type Routed struct {
	ChatID   int64
	Decision desk.Decision
	Record   bool
}

// Chats holds chats and decides races over them.
type Chats interface {
	// CreateChat fails with desk.ErrConflict if the visitor already has an
	// open chat.
	CreateChat(ctx context.Context, n NewChat) (desk.Chat, []desk.Message, error)
	Chat(ctx context.Context, id int64) (desk.Chat, error)
	// OpenChatOf is the visitor's waiting or active chat.
	OpenChatOf(ctx context.Context, visitorID int64) (desk.Chat, error)
	ListChats(ctx context.Context, f ChatFilter) ([]desk.Chat, error)

	// Route reads the routing state and applies decide's outcomes in one
	// transaction, so no automatic assignment takes an operator past their
	// chat limit however many chats are routed at once. Only chats still
	// waiting are assigned. It returns the chats it changed.
	Route(ctx context.Context, siteID int64, now time.Time, decide func(RoutingState) []Routed) ([]desk.Chat, error)
	// TakeChat assigns a waiting chat to op. Of several operators taking one
	// chat exactly one succeeds; the others get a desk.CodeTaken error
	// naming the winner. An ended chat gets desk.ErrEnded.
	TakeChat(ctx context.Context, chatID int64, op desk.Operator, now time.Time) (desk.Chat, error)
	// TransferChat moves an active chat from its operator to another and
	// writes the system line.
	TransferChat(ctx context.Context, chatID int64, by, to desk.Operator, now time.Time) (desk.Chat, desk.Message, error)
	// HandBack returns the operator's active chats to waiting, each with a
	// system line.
	HandBack(ctx context.Context, operatorID int64, now time.Time) ([]desk.Chat, []desk.Message, error)
	// EndChat ends an open chat once. ended is false (and nothing changes)
	// if the chat had already ended.
	EndChat(ctx context.Context, chatID int64, end ChatEnd) (c desk.Chat, line desk.Message, ended bool, err error)
	// SetVisitorLeft records that the visitor of an open chat left the site
	// (at non-zero) or came back (at zero), moves the chat's deadline by t,
	// and writes the system line. changed is false if nothing changed.
	SetVisitorLeft(ctx context.Context, chatID int64, at time.Time, now time.Time, t desk.Timeouts) (c desk.Chat, line desk.Message, changed bool, err error)
	// DueChats lists open chats whose deadline is at or before now.
	DueChats(ctx context.Context, now time.Time) ([]desk.Chat, error)
	// NextDeadline is the earliest deadline of an open chat; zero if none.
	NextDeadline(ctx context.Context) (time.Time, error)
}

// Messages holds chat messages.
type Messages interface {
	// AddMessage stores m in its open chat with the next seq. A message
	// with a client id already stored in that chat is not stored again: the
	// first one is returned with created false. A visitor's message moves the
	// chat's inactivity deadline by t. A chat that has ended gets
	// desk.ErrEnded.
	AddMessage(ctx context.Context, m desk.Message, t desk.Timeouts) (stored desk.Message, created bool, err error)
	// Messages lists a chat's messages with seq > afterSeq in order, at most
	// limit (0: all).
	Messages(ctx context.Context, chatID int64, afterSeq int64, limit int) ([]desk.Message, error)
}

// Rules holds action rules (Chat Routing) and invitation rules.
type Rules interface {
	ActionRules(ctx context.Context, siteID int64) ([]desk.ActionRule, error)
	// CreateActionRule adds the rule last.
	CreateActionRule(ctx context.Context, r desk.ActionRule) (desk.ActionRule, error)
	UpdateActionRule(ctx context.Context, r desk.ActionRule) (desk.ActionRule, error)
	DeleteActionRule(ctx context.Context, siteID, id int64) error
	// MoveActionRule swaps the rule with its neighbour above (delta -1) or
	// below (+1); at either end it does nothing.
	MoveActionRule(ctx context.Context, siteID, id int64, delta int) error

	InvitationRules(ctx context.Context, siteID int64) ([]desk.InvitationRule, error)
	CreateInvitationRule(ctx context.Context, r desk.InvitationRule) (desk.InvitationRule, error)
	UpdateInvitationRule(ctx context.Context, r desk.InvitationRule) (desk.InvitationRule, error)
	DeleteInvitationRule(ctx context.Context, siteID, id int64) error
}

// Invitations holds proactive chat invitations.
type Invitations interface {
	// CreateInvitation fails with desk.ErrConflict if the visitor has an
	// open invitation.
	CreateInvitation(ctx context.Context, inv desk.Invitation) (desk.Invitation, error)
	Invitation(ctx context.Context, id int64) (desk.Invitation, error)
	OpenInvitationOf(ctx context.Context, visitorID int64) (desk.Invitation, error)
	// CloseInvitation moves an open invitation to state; changed is false if
	// it was not open.
	CloseInvitation(ctx context.Context, id int64, state desk.InvitationState, at time.Time) (inv desk.Invitation, changed bool, err error)
}
