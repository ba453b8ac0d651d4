package httpapi

import (
	"context"
	"net/http"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// Service is everything the REST API asks of the application, one small
// interface per area.
type Service interface {
	AccountService
	SettingsService
	ChatService
	VisitorService
	CannedService
	PreferencesService
	ReportService
	FileService
	// Health says whether the store and the bus answer (GET /healthz).
	Health(ctx context.Context) Health
	Now() time.Time
}

// AccountService: first admin, sessions, operators.
type AccountService interface {
	NeedsAdmin(ctx context.Context) (bool, error)
	CreateFirstAdmin(ctx context.Context, name, email, password string) (desk.Operator, desk.Session, string, error)
	Login(ctx context.Context, email, password string) (desk.Operator, desk.Session, string, error)
	Logout(ctx context.Context, se desk.Session) error
	Authenticate(ctx context.Context, r *http.Request) (desk.Operator, desk.Session, error)
	OperatorView(ctx context.Context, op desk.Operator) (protocol.Operator, error)
	ListOperators(ctx context.Context) ([]protocol.Operator, error)
	CreateOperator(ctx context.Context, by desk.Operator, in protocol.OperatorInput) (protocol.Operator, error)
	UpdateOperator(ctx context.Context, by desk.Operator, id int64, in protocol.OperatorInput) (protocol.Operator, error)
	SetStatus(ctx context.Context, op desk.Operator, status desk.Status) (protocol.Operator, error)
}

// SettingsService: settings, install snippet, rules.
type SettingsService interface {
	Settings() protocol.Settings
	UpdateSettings(ctx context.Context, by desk.Operator, p protocol.SettingsPatch) (protocol.Settings, error)
	Snippet() string
	ActionRules(ctx context.Context) ([]protocol.ActionRule, error)
	SaveActionRule(ctx context.Context, by desk.Operator, r protocol.ActionRule) (protocol.ActionRule, error)
	DeleteActionRule(ctx context.Context, by desk.Operator, id int64) error
	MoveActionRule(ctx context.Context, by desk.Operator, id int64, direction string) ([]protocol.ActionRule, error)
	TestRoute(ctx context.Context, p desk.Page) (protocol.RoutingTest, error)
	InvitationRules() []protocol.InvitationRule
	SaveInvitationRule(ctx context.Context, by desk.Operator, r protocol.InvitationRule) (protocol.InvitationRule, error)
	DeleteInvitationRule(ctx context.Context, by desk.Operator, id int64) error
}

// ChatService: lists, History, and the commands on a chat.
type ChatService interface {
	ListChats(ctx context.Context, op desk.Operator, f store.ChatFilter) ([]desk.Chat, error)
	ChatRecord(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, []desk.Message, []desk.Note, error)
	TakeChat(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error)
	TransferChat(ctx context.Context, by desk.Operator, chatID, toID int64) (desk.Chat, error)
	OperatorEnd(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error)
	AddNote(ctx context.Context, op desk.Operator, chatID int64, body string) (desk.Note, error)
	Notes(ctx context.Context, op desk.Operator, chatID int64) ([]desk.Note, error)
	OfflineMessages(ctx context.Context, op desk.Operator) ([]desk.OfflineMessage, error)
	MarkHandled(ctx context.Context, op desk.Operator, id int64) (desk.OfflineMessage, error)
}

// VisitorService: the Visitor List's commands.
type VisitorService interface {
	VisitorPages(ctx context.Context, visitorID int64) (*protocol.VisitorRow, []desk.PageView, error)
	Invite(ctx context.Context, op desk.Operator, visitorID int64) (protocol.Invitation, error)
}

// ReportService: "Reports" and History's CSV export.
type ReportService interface {
	Report(ctx context.Context, op desk.Operator, from, to, tz string) (protocol.Report, error)
	Export(ctx context.Context, op desk.Operator, f store.ChatFilter) ([]desk.Chat, error)
}
