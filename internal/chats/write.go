package chats

import (
	"context"
	"errors"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// VisitorSend stores a visitor's message. With no open chat it starts one:
// accepting the open invitation if there is one (SPEC 2).
func (s *Service) VisitorSend(ctx context.Context, v desk.Visitor, clientID, body string) (desk.Message, error) {
	body, err := desk.CleanMessage(body, clientID, s.d.MaxMessageBytes)
	if err != nil {
		return desk.Message{}, err
	}
	t := s.d.Timeouts()
	// A visitor without an open chat starts one: try that first when this
	// node has seen no chat of theirs, instead of looking for one in vain.
	starting := !s.d.Visitors.SeemsToChat(v.ID)
	for attempt := 0; attempt < 4; attempt++ {
		m := desk.Message{Author: desk.AuthorVisitor, Body: body, ClientID: clientID, CreatedAt: s.d.Clock.Now()}
		if starting {
			// a retry of a message stored in a chat that has ended since is
			// acknowledged, not stored again in a new chat
			if prev, err := s.d.Store.VisitorMessage(ctx, v.ID, clientID); err == nil {
				return prev, nil
			} else if !errors.Is(err, desk.ErrNotFound) {
				return desk.Message{}, err
			}
			stored, err := s.startChat(ctx, v, m)
			if !errors.Is(err, desk.ErrConflict) {
				return stored, err
			}
			// another tab started a chat (or the invitation closed) meanwhile
			starting = false
			continue
		}
		chat, stored, created, err := s.d.Store.AddMessage(ctx, store.ChatRef{OpenOf: v.ID}, m, func(c desk.Chat) (desk.ChatChange, error) {
			return desk.WriteAsVisitor(c, m, t)
		})
		if errors.Is(err, desk.ErrNotFound) {
			starting = true
			continue
		}
		if err == nil && created {
			s.d.Announce.Message(stored)
			s.d.Wake(chat.Deadline) // the deadline moved, maybe earlier (a shorter timeout)
			if chat.State == desk.ChatWaiting {
				// a ticket shows its latest line
				if whole, err := s.d.Store.Chat(ctx, chat.ID); err == nil {
					s.d.Announce.Chat(whole, whole.State, whole.OperatorID)
				}
			}
		}
		return stored, err
	}
	return desk.Message{}, desk.Errorf(desk.CodeConflict, "Please send your message again")
}

// startChat creates the visitor's chat with m as its first visitor line,
// and routes it.
func (s *Service) startChat(ctx context.Context, v desk.Visitor, m desk.Message) (desk.Message, error) {
	page, _ := s.d.Visitors.CurrentPage(v.ID)
	start := desk.ChatStart{Visitor: v, Page: page, First: m, Timeouts: s.d.Timeouts()}
	var nc store.NewChat
	inv, err := s.d.Store.OpenInvitationOf(ctx, v.ID)
	switch {
	case err == nil:
		start.Invitation, nc.AcceptInvitation = &inv, inv.ID
		start.InviterOnline = inv.Kind == desk.InvitationManual && s.d.Connected(inv.OperatorID)
	case !errors.Is(err, desk.ErrNotFound):
		return m, err
	}
	nc.Build = func() (desk.Chat, []desk.Message) { return desk.StartChat(start, s.d.Clock.Now()) }
	chat, msgs, err := s.d.Store.CreateChat(ctx, nc)
	if err != nil {
		return m, err
	}
	s.d.Announce.Logged(desk.Chat{}, chat)
	if nc.AcceptInvitation != 0 {
		inv.State = desk.InvitationAccepted
		s.d.Announce.Invitation(inv)
	}
	var routed map[int64]bool
	if chat.State == desk.ChatWaiting {
		routed = s.d.Routing.RouteNew(ctx, chat.ID) // announces the chat with its routing
	} else {
		s.d.LoadChanged(chat.OperatorID)
	}
	if !routed[chat.ID] {
		s.d.Announce.Chat(chat, "", 0)
	}
	for _, msg := range msgs {
		s.d.Announce.Message(msg)
	}
	return msgs[len(msgs)-1], nil
}

// OperatorSend stores an operator's message in a chat assigned to them.
func (s *Service) OperatorSend(ctx context.Context, op desk.Operator, chatID int64, clientID, body string) (desk.Message, error) {
	body, err := desk.CleanMessage(body, clientID, s.d.MaxMessageBytes)
	if err != nil {
		return desk.Message{}, err
	}
	m := desk.Message{Author: desk.AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, Body: body, ClientID: clientID, CreatedAt: s.d.Clock.Now()}
	_, stored, created, err := s.d.Store.AddMessage(ctx, store.ChatRef{ID: chatID}, m, func(c desk.Chat) (desk.ChatChange, error) {
		return desk.WriteAsOperator(c, op)
	})
	if err == nil && created {
		s.d.Announce.Message(stored)
	}
	return stored, err
}
