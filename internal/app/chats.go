package app

import (
	"context"
	"errors"

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
	t := a.siteSettings.Timeouts()
	// A visitor without an open chat starts one: try that first when this
	// node has seen no chat of theirs, instead of looking for one in vain.
	starting := !a.visitors.SeemsToChat(v.ID)
	for attempt := 0; attempt < 4; attempt++ {
		m := desk.Message{Author: desk.AuthorVisitor, Body: body, ClientID: clientID, CreatedAt: a.clock.Now()}
		if starting {
			// a retry of a message stored in a chat that has ended since is
			// acknowledged, not stored again in a new chat
			if prev, err := a.store.VisitorMessage(ctx, v.ID, clientID); err == nil {
				return prev, nil
			} else if !errors.Is(err, desk.ErrNotFound) {
				return desk.Message{}, err
			}
			stored, err := a.startChat(ctx, v, m)
			if !errors.Is(err, desk.ErrConflict) {
				return stored, err
			}
			// another tab started a chat (or the invitation closed) meanwhile
			starting = false
			continue
		}
		chat, stored, created, err := a.store.AddMessage(ctx, store.ChatRef{OpenOf: v.ID}, m, func(c desk.Chat) (desk.ChatChange, error) {
			return desk.WriteAsVisitor(c, m, t)
		})
		if errors.Is(err, desk.ErrNotFound) {
			starting = true
			continue
		}
		if err == nil && created {
			a.announceMessage(stored)
			a.deadlines.wake(chat.Deadline) // the deadline moved, maybe earlier (a shorter timeout)
			if chat.State == desk.ChatWaiting {
				// a ticket shows its latest line
				if whole, err := a.store.Chat(ctx, chat.ID); err == nil {
					a.announceChat(whole, whole.State, whole.OperatorID)
				}
			}
		}
		return stored, err
	}
	return desk.Message{}, desk.Errorf(desk.CodeConflict, "Please send your message again")
}

// startChat creates the visitor's chat with m as its first visitor line,
// and routes it.
func (a *App) startChat(ctx context.Context, v desk.Visitor, m desk.Message) (desk.Message, error) {
	page, _ := a.visitors.CurrentPage(v.ID)
	start := desk.ChatStart{Visitor: v, Page: page, First: m, Timeouts: a.siteSettings.Timeouts()}
	var nc store.NewChat
	inv, err := a.store.OpenInvitationOf(ctx, v.ID)
	switch {
	case err == nil:
		start.Invitation, nc.AcceptInvitation = &inv, inv.ID
		start.InviterOnline = inv.Kind == desk.InvitationManual && a.operators.Connected(inv.OperatorID)
	case !errors.Is(err, desk.ErrNotFound):
		return m, err
	}
	nc.Build = func() (desk.Chat, []desk.Message) { return desk.StartChat(start, a.clock.Now()) }
	chat, msgs, err := a.store.CreateChat(ctx, nc)
	if err != nil {
		return m, err
	}
	if nc.AcceptInvitation != 0 {
		inv.State = desk.InvitationAccepted
		a.announceInvitation(inv)
	}
	var routed map[int64]bool
	if chat.State == desk.ChatWaiting {
		routed = a.chatRouting.RouteNew(ctx, chat.ID) // announces the chat with its routing
	} else {
		a.accounts.LoadChanged(chat.OperatorID)
	}
	if !routed[chat.ID] {
		a.announceChat(chat, "", 0)
	}
	for _, msg := range msgs {
		a.announceMessage(msg)
	}
	return msgs[len(msgs)-1], nil
}

// VisitorEnd is the widget's "Cancel".
func (a *App) VisitorEnd(ctx context.Context, v desk.Visitor) (desk.Chat, error) {
	now := a.clock.Now()
	res, err := a.store.ChangeChat(ctx, store.ChatRef{OpenOf: v.ID}, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.EndByVisitor(tx.Chat(), v, now)
	})
	if errors.Is(err, desk.ErrNotFound) {
		return res.Chat, desk.Errorf(desk.CodeNotFound, "There is no open chat to end")
	}
	return a.ended(ctx, res, err)
}

// OperatorEnd is the chat tab's "Cancel".
func (a *App) OperatorEnd(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error) {
	now := a.clock.Now()
	res, err := a.store.ChangeChat(ctx, store.ChatRef{ID: chatID}, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.EndByOperator(tx.Chat(), op, now)
	})
	return a.ended(ctx, res, err)
}

// ended announces a chat that ended and frees its operator's slot (SPEC 5).
func (a *App) ended(ctx context.Context, res store.ChatResult, err error) (desk.Chat, error) {
	if err != nil || !res.Changed {
		return res.Chat, err
	}
	a.announceChange(res)
	if res.Before.State == desk.ChatActive {
		a.accounts.LoadChanged(res.Before.OperatorID)
		a.chatRouting.MoveQueue(ctx)
	}
	return res.Chat, nil
}

// OperatorSend stores an operator's message in a chat assigned to them.
func (a *App) OperatorSend(ctx context.Context, op desk.Operator, chatID int64, clientID, body string) (desk.Message, error) {
	body, err := desk.CleanMessage(body, clientID, a.cfg.MaxMessageBytes)
	if err != nil {
		return desk.Message{}, err
	}
	m := desk.Message{Author: desk.AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, Body: body, ClientID: clientID, CreatedAt: a.clock.Now()}
	_, stored, created, err := a.store.AddMessage(ctx, store.ChatRef{ID: chatID}, m, func(c desk.Chat) (desk.ChatChange, error) {
		return desk.WriteAsOperator(c, op)
	})
	if err == nil && created {
		a.announceMessage(stored)
	}
	return stored, err
}

// TakeChat is "Accept" on a ticket: of two operators at once, one wins.
func (a *App) TakeChat(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error) {
	now := a.clock.Now()
	res, err := a.store.ChangeChat(ctx, store.ChatRef{ID: chatID}, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.Take(tx.Chat(), op, now)
	})
	if err != nil {
		return res.Chat, err
	}
	if res.Changed {
		a.announceChat(res.Chat, res.Before.State, res.Before.OperatorID)
		a.accounts.LoadChanged(op.ID)
	}
	return res.Chat, nil
}

// TransferChat hands an active chat to another connected operator.
func (a *App) TransferChat(ctx context.Context, by desk.Operator, chatID, toID int64) (desk.Chat, error) {
	to, err := a.store.Operator(ctx, toID)
	if errors.Is(err, desk.ErrNotFound) {
		return desk.Chat{}, desk.NotFound("operator")
	}
	if err != nil {
		return desk.Chat{}, err
	}
	status := to.EffectiveStatus(a.operators.Connected(to.ID))
	now := a.clock.Now()
	res, err := a.store.ChangeChat(ctx, store.ChatRef{ID: chatID}, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.Transfer(tx.Chat(), by, to, status, now)
	})
	if err != nil || !res.Changed {
		return res.Chat, err
	}
	a.announceChange(res)
	a.accounts.LoadChanged(res.Before.OperatorID, to.ID)
	a.chatRouting.MoveQueue(ctx) // the previous operator gained room
	return res.Chat, nil
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
