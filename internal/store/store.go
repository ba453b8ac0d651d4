// Package store declares the records Output Desk keeps and the Store the
// domain talks to. sqlite/ implements it for one node; a PostgreSQL
// implementation for several nodes passes the same storetest suite.
//
// The store decides nothing: desk decides, and the store applies each
// decision atomically on what the decision read, holding it (row locks, or
// SQLite's one writer) and conditioning every update on it, so the rules
// hold however many nodes and requests race.
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
	ReadPositions
	CannedReplies
	Notes
	Ratings
	OfflineMessages
	Files
	OperatorPreferences
	Reports
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

// NewVisitor is a visitor to make with the page view it arrives on.
type NewVisitor struct {
	Visitor desk.Visitor
	First   desk.PageView
}

// Visitors holds visitors and the pages they viewed.
type Visitors interface {
	CreateVisitor(ctx context.Context, v desk.Visitor) (desk.Visitor, error)
	// CreateVisitorsOnPages makes each visitor with its first page view
	// (whose VisitorID is the new visitor's), all in one transaction, and
	// sets each one's Visitor.ID: new visitors arriving together are one
	// commit, not one each. If one fails (a token in use: CodeConflict),
	// none is made.
	CreateVisitorsOnPages(ctx context.Context, vs []NewVisitor) error
	Visitor(ctx context.Context, id int64) (desk.Visitor, error)
	VisitorByToken(ctx context.Context, siteID int64, tokenHash string) (desk.Visitor, error)
	SetVisitorUserAgent(ctx context.Context, id int64, ua string) error
	// SetVisitorIdentity keeps the name and email a visitor gave.
	SetVisitorIdentity(ctx context.Context, id int64, name, email string) error
	// AddPageView records a page view once per (visit, page id): a page id
	// seen before this visit is the view recorded then, not a new one.
	AddPageView(ctx context.Context, pv desk.PageView) (PageViewAdded, error)
	// PageViews lists a visit's page views, oldest first.
	PageViews(ctx context.Context, visitorID int64, visitID string) ([]desk.PageView, error)
	// RecentOf is what a node needs to show visitors it starts following
	// (another node's, or after a restart): each one's latest chat and
	// invitation, and the automated rules that fired for them since since.
	RecentOf(ctx context.Context, visitorIDs []int64, since time.Time) (map[int64]Recent, error)
}

// Recent is a visitor's latest chat and invitation (nil if none), and the
// automated invitation rules that fired for them since a time.
type Recent struct {
	Chat       *desk.Chat
	Invitation *desk.Invitation
	Fired      []Fired
}

// Fired is an automated invitation rule that fired for a visitor, and when.
type Fired struct {
	RuleID int64
	At     time.Time
}

// PageViewAdded is a page view as recorded, whether it is new, and how many
// pages the visit has viewed with it.
type PageViewAdded struct {
	View        desk.PageView
	New         bool
	PagesViewed int
}

// NewChat is a chat to create. Build makes the chat and its first lines; the
// store calls it inside the transaction that writes the row, so the time it
// stamps is the time the chat joins the queue (queue order is id order: ids
// are taken when the row is written).
type NewChat struct {
	Build func() (desk.Chat, []desk.Message)
	// AcceptInvitation, if set, is the visitor's open invitation the chat
	// accepts; it is marked accepted in the same transaction, and creation
	// fails with desk.ErrConflict if it is no longer open.
	AcceptInvitation int64
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

	// History's filters (issue 12, point 6).
	EndedBy desk.EndedKind // who or what ended it
	Missed  bool           // ended without ever being assigned
	// at least this long (read from the chat row's own columns); a chat
	// without the time (never assigned, never answered, still open) is
	// left out when one is set
	MinWait, MinFirstResponse, MinDuration time.Duration
	// Rating: only chats the visitor rated so ("good" or "bad")
	Rating desk.RatingValue
}

// ChatRef names the chat a change is about. Exactly one member is set.
type ChatRef struct {
	ID int64
	// OpenOf is a visitor: their open (waiting or active) chat.
	OpenOf int64
}

// ChatTx is a change in progress: the chat, read and held until the change
// ends, and what else a decision may need to read under the same hold.
type ChatTx interface {
	Chat() desk.Chat
	// Operator reads an operator and their number of active chats, and holds
	// the operator until the change ends: any other assignment to them waits,
	// so a decision on their room stays true until it is applied.
	Operator(id int64) (desk.Operator, int, error)
	// Load reads the site's operators with their active chat counts, as
	// they are now, without holding them.
	Load() ([]desk.Operator, map[int64]int, error)
}

// QueueTx is a move of a site's queue in progress (SPEC 3.4).
type QueueTx interface {
	// Waiting is the site's oldest waiting chats, oldest first, held until
	// the move ends. A chat another change holds at that moment (being
	// taken, ended, written in, or decided by another move) is passed over.
	Waiting() []desk.Chat
	// Operators reads operators and their numbers of active chats, and
	// holds them until the move ends, as ChatTx.Operator does for one.
	Operators(ids []int64) (map[int64]desk.Operator, map[int64]int, error)
	// Load is as in ChatTx.
	Load() ([]desk.Operator, map[int64]int, error)
}

// ChatResult is what a change did.
type ChatResult struct {
	Before  desk.Chat
	Chat    desk.Chat      // after the change; Before if nothing changed
	Lines   []desk.Message // the system lines written, with their seq
	Changed bool
}

// Chats holds chats. Decisions about them are desk's; the store reads what
// a decision needs, holds it, and applies the decision atomically.
type Chats interface {
	// CreateChat fails with desk.ErrConflict if the visitor already has an
	// open chat.
	CreateChat(ctx context.Context, n NewChat) (desk.Chat, []desk.Message, error)
	Chat(ctx context.Context, id int64) (desk.Chat, error)
	// OpenChatOf is the visitor's waiting or active chat.
	OpenChatOf(ctx context.Context, visitorID int64) (desk.Chat, error)
	ListChats(ctx context.Context, f ChatFilter) ([]desk.Chat, error)
	// ActiveChatsOf lists the ids of an operator's active chats.
	ActiveChatsOf(ctx context.Context, operatorID int64) ([]int64, error)

	// ChangeChat reads the chat ref names and holds it, lets decide choose
	// what happens to it, and applies the change in the same transaction:
	// the chat's new state, its routing entry, its system lines, and the
	// assigned operator's last assignment. The update is conditional on the
	// state decide read, and fails rather than change a chat decide did not
	// see. An error from decide changes nothing and is returned with the
	// chat as read. An unknown chat (or an empty queue) is desk.ErrNotFound.
	ChangeChat(ctx context.Context, ref ChatRef, decide func(tx ChatTx) (desk.ChatChange, error)) (ChatResult, error)

	// MoveQueue takes the site's queue, so that it moves one move at a
	// time, first come first served, on however many nodes; holds up to
	// limit of its waiting chats, oldest first; lets decide choose what
	// happens to each; and applies the changes decide returns (each for one
	// of those chats) in one transaction, as ChangeChat does. It returns
	// what changed, in order; nothing when no chat waits.
	MoveQueue(ctx context.Context, siteID int64, limit int, decide func(tx QueueTx) ([]desk.ChatChange, error)) ([]ChatResult, error)

	// DueChats lists open chats whose deadline is at or before now.
	DueChats(ctx context.Context, now time.Time) ([]desk.Chat, error)
	// NextDeadline is the earliest deadline of an open chat; zero if none.
	NextDeadline(ctx context.Context) (time.Time, error)

	// OpenChatCounts counts the waiting and the active chats of every site,
	// and finds when the oldest waiting one started: the metrics' gauges.
	OpenChatCounts(ctx context.Context) (OpenChatCounts, error)
}

// OpenChatCounts are the open chats, as numbers.
type OpenChatCounts struct {
	Waiting, Active int
	// OldestWaiting is when the oldest waiting chat started (its CreatedAt:
	// the queue's order); zero when none waits.
	OldestWaiting time.Time
}

// Messages holds chat messages.
type Messages interface {
	// AddMessage stores m in the chat ref names with the chat's next seq, if
	// decide, given the chat read and held, allows it; the chat takes the
	// state decide returns. Messages are the hot path: decide and the chat
	// returned see its state, operator, seq and deadline only — no names,
	// routing record or last message. A message with a client id already stored in
	// that chat is not stored again: the first one is returned with created
	// false, even if the chat has ended or decide refuses since.
	AddMessage(ctx context.Context, ref ChatRef, m desk.Message, decide func(c desk.Chat) (desk.ChatChange, error)) (c desk.Chat, stored desk.Message, created bool, err error)
	// VisitorMessage is the visitor's message with this client id in their
	// latest chat: a retry after that chat ended.
	VisitorMessage(ctx context.Context, visitorID int64, clientID string) (desk.Message, error)
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

// ReadPositions holds how far each operator has read each chat: unread
// counts that survive a log-in and agree across devices, and the visitor's
// "Seen".
type ReadPositions interface {
	// MarkRead moves the operator's position in the chat up to seq, never
	// down. It returns the position after, and whether it moved.
	MarkRead(ctx context.Context, chatID, operatorID, seq int64, at time.Time) (pos int64, moved bool, err error)
	// ReadPositions is the operator's position in each of chatIDs that has
	// one; the others are left out.
	ReadPositions(ctx context.Context, operatorID int64, chatIDs []int64) (map[int64]int64, error)
	// SeenSeq is the highest position any operator has read the chat to; 0
	// if none has.
	SeenSeq(ctx context.Context, chatID int64) (int64, error)
}

// CannedReplies holds canned replies: shared ones (OwnerID 0) and each
// operator's personal ones. A shortcut is unique, regardless of case,
// among the site's shared replies and among each operator's own; a clash
// is desk.ErrConflict.
type CannedReplies interface {
	// CannedReplies lists the site's shared replies and ownerID's personal
	// ones, by shortcut.
	CannedReplies(ctx context.Context, siteID, ownerID int64) ([]desk.CannedReply, error)
	CannedReply(ctx context.Context, siteID, id int64) (desk.CannedReply, error)
	CreateCannedReply(ctx context.Context, r desk.CannedReply) (desk.CannedReply, error)
	// UpdateCannedReply saves the shortcut, the text and UpdatedAt; the
	// owner stays.
	UpdateCannedReply(ctx context.Context, r desk.CannedReply) (desk.CannedReply, error)
	DeleteCannedReply(ctx context.Context, siteID, id int64) error
}

// Notes holds the private notes on chats: operators only.
type Notes interface {
	// AddNote stores a note desk made; it returns it with its id and its
	// operator's name.
	AddNote(ctx context.Context, n desk.Note) (desk.Note, error)
	// Notes lists a chat's notes, oldest first.
	Notes(ctx context.Context, chatID int64) ([]desk.Note, error)
}

// Ratings holds the visitors' ratings of their ended chats.
type Ratings interface {
	// RateChat keeps desk's rating of a chat, replacing an earlier one.
	RateChat(ctx context.Context, r desk.Rating) error
	// RatingCounts counts the good and bad ratings of the site's chats
	// started in [from, to) (Reports).
	RatingCounts(ctx context.Context, siteID int64, from, to time.Time) (good, bad int, err error)
}

// OfflineMessages holds what visitors leave with "Leave a message".
type OfflineMessages interface {
	AddOfflineMessage(ctx context.Context, m desk.OfflineMessage) (desk.OfflineMessage, error)
	OfflineMessage(ctx context.Context, id int64) (desk.OfflineMessage, error)
	// OfflineMessages lists the site's, newest first, at most limit.
	OfflineMessages(ctx context.Context, siteID int64, limit int) ([]desk.OfflineMessage, error)
	// MarkOfflineHandled marks one "Handled" by an operator; changed is
	// false if it was already.
	MarkOfflineHandled(ctx context.Context, id, by int64, at time.Time) (m desk.OfflineMessage, changed bool, err error)
}

// Files holds the files sent in chats. A file is stored by AddMessage, in
// the transaction of the message that sends it (desk.Message.File with its
// Data): a message refused or retried leaves no file behind.
type Files interface {
	// File reads a file with its bytes.
	File(ctx context.Context, id int64) (desk.File, error)
}

// OperatorPreferences holds each operator's notification preferences.
type OperatorPreferences interface {
	// Preferences are the operator's saved preferences; desk.ErrNotFound
	// while they have changed none (they have the defaults).
	Preferences(ctx context.Context, operatorID int64) (desk.Preferences, error)
	// ChangePreferences applies the change to the operator's preferences,
	// starting from base (their defaults) when none are saved yet, sets
	// UpdatedAt to at, and returns them after. Each member is applied on
	// its own, in one statement, so two changes of different members at
	// once both stay.
	ChangePreferences(ctx context.Context, base desk.Preferences, c desk.PreferencesChange, at time.Time) (desk.Preferences, error)
}

// Waits is implemented by stores that count the transactions waiting for a
// hold another transaction has (a row lock, or SQLite's one writer). The
// race tests use it to know a change is held up behind another.
type Waits interface {
	Waiting() int
}

// Reports reads what "Reports" counts (issue 12, point 7).
type Reports interface {
	// ReportChats calls fn with every chat of the site started in
	// [from, to), in no particular order, reading only the chat rows'
	// own columns through an index (never the messages).
	ReportChats(ctx context.Context, siteID int64, from, to time.Time, fn func(desk.ReportChat)) error
}

// OperatorOfSite checks that a filter's operator (0: none) is one of the
// site's: an unknown one is desk.ErrNotFound rather than an empty list.
func OperatorOfSite(ctx context.Context, s interface {
	Operator(ctx context.Context, id int64) (desk.Operator, error)
}, siteID, id int64) error {
	if id == 0 {
		return nil
	}
	o, err := s.Operator(ctx, id)
	if err == nil && o.SiteID != siteID {
		err = desk.NotFound("operator")
	}
	return err
}
