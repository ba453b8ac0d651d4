package app

import (
	"context"

	"outputdesk/internal/bus"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/realtime"
)

// What the sockets and the API ask of visitors and operators here, handed
// to the services that do it.

func (a *App) IdentifyVisitor(ctx context.Context, site desk.Site, token, ua string, page protocol.PageIn) (desk.Visitor, string, error) {
	return a.visitors.IdentifyVisitor(ctx, site, token, ua, page)
}

func (a *App) TabOpened(v desk.Visitor, tab uint64, page protocol.PageIn, visible bool) {
	a.visitors.TabOpened(v, tab, page, visible)
}

func (a *App) TabPage(v desk.Visitor, tab uint64, page protocol.PageIn, visible bool) {
	a.visitors.TabPage(v, tab, page, visible)
}

func (a *App) TabClosed(v desk.Visitor, tab uint64) { a.visitors.TabClosed(v, tab) }

func (a *App) LeaveMessage(ctx context.Context, v desk.Visitor, name, email, body string) (desk.OfflineMessage, error) {
	return a.offline.LeaveMessage(ctx, v, name, email, body)
}

func (a *App) OfflineMessages(ctx context.Context, op desk.Operator) ([]desk.OfflineMessage, error) {
	return a.offline.OfflineMessages(ctx, op)
}

func (a *App) MarkHandled(ctx context.Context, op desk.Operator, id int64) (desk.OfflineMessage, error) {
	return a.offline.MarkHandled(ctx, op, id)
}

// OperatorsOnline: whether an operator is Online, as this node hears it.
func (a *App) OperatorsOnline() bool { return a.availability.Online() }

// heardOperator follows an operator's status for the widgets' "Leave a
// message": from presence here (ShowHere) and from the bus (a status
// chosen on any node). A flip tells this node's visitor tabs.
func (a *App) heardOperator(e bus.Event) {
	if e.Operator == nil {
		return
	}
	a.availability.Heard(e.Operator.ID, e.Status)
}

func (a *App) IdentifyAs(ctx context.Context, v desk.Visitor, name, email string) (desk.Visitor, error) {
	return a.visitors.IdentifyAs(ctx, v, name, email)
}

func (a *App) DismissInvitation(ctx context.Context, v desk.Visitor, id int64) error {
	return a.visitors.DismissInvitation(ctx, v, id)
}

func (a *App) Invite(ctx context.Context, op desk.Operator, visitorID int64) (protocol.Invitation, error) {
	return a.visitors.Invite(ctx, op, visitorID)
}

func (a *App) VisitorPages(ctx context.Context, visitorID int64) (*protocol.VisitorRow, []desk.PageView, error) {
	return a.visitors.VisitorPages(ctx, visitorID)
}

func (a *App) SubscribeVisitors(c *realtime.Conn)   { a.list.Subscribe(c) }
func (a *App) UnsubscribeVisitors(c *realtime.Conn) { a.list.Unsubscribe(c) }

func (a *App) ConsoleConnected(op desk.Operator, se desk.Session, c *realtime.Conn) {
	a.operators.ConsoleConnected(op, se, c)
}

func (a *App) ConsoleDisconnected(op desk.Operator, c *realtime.Conn) {
	a.operators.ConsoleDisconnected(c)
}
