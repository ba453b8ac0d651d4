package chats

import (
	"context"

	"outputdesk/internal/desk"
)

// VisitorTyping shows the operators watching the visitor's open chat that
// the visitor types, or has stopped; with "Message preview" on, what they
// have typed so far. Nothing is stored.
func (s *Service) VisitorTyping(ctx context.Context, v desk.Visitor, active bool, draft string) error {
	chat, err := s.d.Store.OpenChatOf(ctx, v.ID)
	if err != nil {
		return err
	}
	t, err := desk.VisitorTyping(chat, active, draft, s.d.MessagePreview(), s.d.MaxMessageBytes)
	if err != nil {
		return err
	}
	s.d.Announce.Typing(t)
	return nil
}

// OperatorTyping shows the visitor that the chat's operator types, or has
// stopped.
func (s *Service) OperatorTyping(ctx context.Context, op desk.Operator, chatID int64, active bool) error {
	chat, err := s.d.Store.Chat(ctx, chatID)
	if err != nil {
		return err
	}
	t, err := desk.OperatorTyping(chat, op, active)
	if err != nil {
		return err
	}
	s.d.Announce.Typing(t)
	return nil
}
