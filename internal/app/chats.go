package app

import (
	"context"
	"errors"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/realtime"
	"outputdesk/internal/store"
)

// VisitorSend stores a visitor's message. With no open chat it starts one:
// accepting the open invitation if there is one (SPEC 2).
func (a *App) VisitorSend(ctx context.Context, v desk.Visitor, clientID, body string) (desk.Message, error) {
	body, err := desk.CleanMessage(body, clientID, a.cfg.MaxMessageBytes)
	if err != nil {
		return desk.Message{}, err
	}
	m := desk.Message{Author: desk.AuthorVisitor, Body: body, ClientID: clientID, CreatedAt: a.clock.Now()}
	for attempt := 0; attempt < 3; attempt++ {
		chat, err := a.store.OpenChatOf(ctx, v.ID)
		if err == nil {
			return a.addVisitorMessage(ctx, chat, m)
		}
		if !errors.Is(err, desk.ErrNotFound) {
			return m, err
		}
		stored, err := a.startChat(ctx, v, m)
		if !errors.Is(err, desk.ErrConflict) {
			return stored, err
		}
		// another tab started a chat (or the invitation closed) meanwhile: try again
	}
	return m, desk.Errorf(desk.CodeConflict, "Please send your message again")
}

func (a *App) addVisitorMessage(ctx context.Context, chat desk.Chat, m desk.Message) (desk.Message, error) {
	m.ChatID = chat.ID
	stored, created, err := a.store.AddMessage(ctx, m, a.timeouts())
	if err != nil || !created {
		return stored, err
	}
	a.announceMessage(stored)
	if chat.State == desk.ChatWaiting {
		// ticket previews show the latest line
		if c, err := a.store.Chat(ctx, chat.ID); err == nil {
			c.LastMessage = &stored
			a.announceChat(c, c.State, c.OperatorID)
		}
	}
	return stored, nil
}

// startChat creates the visitor's chat with m as its first visitor line.
func (a *App) startChat(ctx context.Context, v desk.Visitor, m desk.Message) (desk.Message, error) {
	now := m.CreatedAt
	site, _ := a.siteNow()
	page, _ := a.visitors.currentPage(v.ID)
	c := desk.Chat{SiteID: site.ID, VisitorID: v.ID, State: desk.ChatWaiting, StartedBy: desk.AuthorVisitor, Page: page,
		CreatedAt: now, VisitorActiveAt: now}
	nc := store.NewChat{Messages: []desk.Message{m}}
	inv, err := a.store.OpenInvitationOf(ctx, v.ID)
	switch {
	case err == nil:
		a.acceptInvitation(&c, &nc, inv, now)
	case !errors.Is(err, desk.ErrNotFound):
		return m, err
	}
	c.Deadline, c.DeadlineReason = desk.Deadline(c, a.timeouts())
	nc.Chat = c
	chat, msgs, err := a.store.CreateChat(ctx, nc)
	if err != nil {
		return m, err
	}
	if nc.AcceptInvitation != 0 {
		inv.State = desk.InvitationAccepted
		a.announceInvitation(inv)
	}
	if chat.State == desk.ChatWaiting {
		a.route(ctx, chat.ID) // announces the chat with its routing
	} else {
		a.announceChat(chat, "", 0)
		a.announceOperators(chat.OperatorID)
	}
	for _, msg := range msgs {
		a.announceMessage(msg)
	}
	return msgs[len(msgs)-1], nil
}

// acceptInvitation makes the chat accept inv: started by the operator, the
// invitation text as its first line, and — for a manual invitation whose
// operator is still connected — assigned straight to that operator.
func (a *App) acceptInvitation(c *desk.Chat, nc *store.NewChat, inv desk.Invitation, now time.Time) {
	c.StartedBy, c.InvitationID, nc.AcceptInvitation = desk.AuthorOperator, inv.ID, inv.ID
	first := desk.Message{Author: desk.AuthorSystem, Body: inv.Text, CreatedAt: now}
	if inv.Kind == desk.InvitationManual {
		first.Author, first.OperatorID = desk.AuthorOperator, inv.OperatorID
		if a.operators.connected(inv.OperatorID) {
			c.State, c.OperatorID, c.AssignedAt = desk.ChatActive, inv.OperatorID, now
			c.Routing = []desk.RoutingEntry{{At: now, Kind: desk.RoutedInvitation, Text: desk.InvitationText(inv.OperatorName)}}
		}
	}
	nc.Messages = append([]desk.Message{first}, nc.Messages...)
}

// VisitorEnd is the widget's "Cancel".
func (a *App) VisitorEnd(ctx context.Context, v desk.Visitor) (desk.Chat, error) {
	chat, err := a.store.OpenChatOf(ctx, v.ID)
	if errors.Is(err, desk.ErrNotFound) {
		return chat, desk.Errorf(desk.CodeNotFound, "There is no open chat to end")
	}
	if err != nil {
		return chat, err
	}
	return a.endChat(ctx, chat.ID, store.ChatEnd{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: a.clock.Now()})
}

// OperatorEnd is the chat tab's "Cancel": the chat's operator or an admin,
// or anyone for a waiting ticket.
func (a *App) OperatorEnd(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error) {
	chat, err := a.chatOfSite(ctx, op, chatID)
	if err != nil {
		return chat, err
	}
	if chat.State == desk.ChatActive && chat.OperatorID != op.ID && op.Role != desk.RoleAdmin {
		return chat, desk.Errorf(desk.CodeForbidden, "Only %s or an admin can end this chat", chat.OperatorName)
	}
	return a.endChat(ctx, chatID, store.ChatEnd{By: desk.AuthorOperator, OperatorID: op.ID, Reason: desk.EndCancel, At: a.clock.Now()})
}

// endChat ends a chat once, whoever asks first, and frees its operator's
// slot (SPEC 5).
func (a *App) endChat(ctx context.Context, chatID int64, end store.ChatEnd) (desk.Chat, error) {
	chat, line, ended, err := a.store.EndChat(ctx, chatID, end)
	if err != nil || !ended {
		return chat, err
	}
	a.announceChat(chat, prevOf(chat), chat.OperatorID)
	a.announceMessage(line)
	if chat.OperatorID != 0 {
		a.announceOperators(chat.OperatorID)
		a.moveQueue(ctx)
	}
	return chat, nil
}

// OperatorSend stores an operator's message in a chat assigned to them.
func (a *App) OperatorSend(ctx context.Context, op desk.Operator, chatID int64, clientID, body string) (desk.Message, error) {
	body, err := desk.CleanMessage(body, clientID, a.cfg.MaxMessageBytes)
	if err != nil {
		return desk.Message{}, err
	}
	chat, err := a.chatOfSite(ctx, op, chatID)
	if err != nil {
		return desk.Message{}, err
	}
	if chat.OperatorID != op.ID {
		return desk.Message{}, desk.Errorf(desk.CodeForbidden, desk.TextTakeBeforeWriting)
	}
	m := desk.Message{ChatID: chatID, Author: desk.AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, Body: body, ClientID: clientID, CreatedAt: a.clock.Now()}
	stored, created, err := a.store.AddMessage(ctx, m, a.timeouts())
	if err == nil && created {
		a.announceMessage(stored)
	}
	return stored, err
}

// TakeChat is "Accept" on a ticket: of two operators at once, one wins.
func (a *App) TakeChat(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error) {
	if _, err := a.chatOfSite(ctx, op, chatID); err != nil {
		return desk.Chat{}, err
	}
	chat, err := a.store.TakeChat(ctx, chatID, op, a.clock.Now())
	if err != nil {
		return chat, err
	}
	a.announceChat(chat, desk.ChatWaiting, 0)
	a.announceOperators(op.ID)
	return chat, nil
}

// TransferChat hands an active chat to another connected operator.
func (a *App) TransferChat(ctx context.Context, by desk.Operator, chatID, toID int64) (desk.Chat, error) {
	chat, err := a.chatOfSite(ctx, by, chatID)
	if err != nil {
		return chat, err
	}
	if chat.State == desk.ChatActive && chat.OperatorID != by.ID && by.Role != desk.RoleAdmin {
		return chat, desk.Errorf(desk.CodeForbidden, "Only %s or an admin can transfer this chat", chat.OperatorName)
	}
	to, err := a.store.Operator(ctx, toID)
	if err != nil || to.SiteID != by.SiteID {
		return chat, desk.NotFound("operator")
	}
	if to.EffectiveStatus(a.operators.connected(to.ID)) == desk.StatusOffline {
		return chat, desk.Errorf(desk.CodeInvalid, "%s is Offline", to.Name)
	}
	moved, line, err := a.store.TransferChat(ctx, chatID, by, to, a.clock.Now())
	if err != nil {
		return moved, err
	}
	a.announceChat(moved, desk.ChatActive, chat.OperatorID)
	a.announceMessage(line)
	a.announceOperators(chat.OperatorID, to.ID)
	a.moveQueue(ctx) // the previous operator gained room
	return moved, nil
}

// chatOfSite loads a chat the operator's site owns; others are not found.
func (a *App) chatOfSite(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error) {
	chat, err := a.store.Chat(ctx, chatID)
	if err == nil && chat.SiteID != op.SiteID {
		err = desk.NotFound("chat")
	}
	return chat, err
}

// CheckWatch lets any operator of the site read any of its chats.
func (a *App) CheckWatch(ctx context.Context, op desk.Operator, chatID int64) error {
	_, err := a.chatOfSite(ctx, op, chatID)
	return err
}

// ChatWithMessages is GET /api/chats/{id}.
func (a *App) ChatWithMessages(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, []desk.Message, error) {
	chat, err := a.chatOfSite(ctx, op, chatID)
	if err != nil {
		return chat, nil, err
	}
	msgs, err := a.store.Messages(ctx, chatID, 0, 0)
	return chat, msgs, err
}

// ListChats is GET /api/chats (History and lists).
func (a *App) ListChats(ctx context.Context, op desk.Operator, f store.ChatFilter) ([]desk.Chat, error) {
	f.SiteID = op.SiteID
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return a.store.ListChats(ctx, f)
}

// VisitorState is what a widget tab shows on (re)connecting.
func (a *App) VisitorState(ctx context.Context, v desk.Visitor, chatID, lastSeq int64) (realtime.VisitorState, error) {
	var st realtime.VisitorState
	chat, err := a.store.OpenChatOf(ctx, v.ID)
	switch {
	case err == nil:
		st.Chat = &chat
	case !errors.Is(err, desk.ErrNotFound):
		return st, err
	case chatID != 0:
		// the chat this tab knew may have ended while it was away
		if old, err := a.store.Chat(ctx, chatID); err == nil && old.VisitorID == v.ID {
			st.Chat = &old
		}
	}
	if st.Chat != nil {
		after := int64(0)
		if st.Chat.ID == chatID {
			after = lastSeq
		}
		if st.Messages, err = a.store.Messages(ctx, st.Chat.ID, after, 0); err != nil {
			return st, err
		}
	}
	inv, err := a.store.OpenInvitationOf(ctx, v.ID)
	switch {
	case err == nil:
		st.Invitation = &inv
	case !errors.Is(err, desk.ErrNotFound):
		return st, err
	}
	return st, nil
}

// ConsoleState is what a console gets on (re)connecting.
func (a *App) ConsoleState(ctx context.Context, op desk.Operator) (realtime.ConsoleState, error) {
	var st realtime.ConsoleState
	ops, err := a.ListOperators(ctx)
	if err != nil {
		return st, err
	}
	st.Operators = ops
	for _, o := range ops {
		if o.ID == op.ID {
			st.Operator = o
		}
	}
	waiting, err := a.store.ListChats(ctx, store.ChatFilter{SiteID: op.SiteID, States: []desk.ChatState{desk.ChatWaiting}})
	if err != nil {
		return st, err
	}
	mine, err := a.store.ListChats(ctx, store.ChatFilter{SiteID: op.SiteID, States: []desk.ChatState{desk.ChatActive}, OperatorID: op.ID})
	st.Chats = append(waiting, mine...)
	return st, err
}
