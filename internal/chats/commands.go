package chats

import (
	"context"
	"errors"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// VisitorEnd is the widget's "Cancel".
func (s *Service) VisitorEnd(ctx context.Context, v desk.Visitor) (desk.Chat, error) {
	now := s.d.Clock.Now()
	res, err := s.d.Store.ChangeChat(ctx, store.ChatRef{OpenOf: v.ID}, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.EndByVisitor(tx.Chat(), v, now)
	})
	if errors.Is(err, desk.ErrNotFound) {
		return res.Chat, desk.Errorf(desk.CodeNotFound, "There is no open chat to end")
	}
	return s.Ended(ctx, res, err)
}

// OperatorEnd is the chat tab's "Cancel".
func (s *Service) OperatorEnd(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error) {
	now := s.d.Clock.Now()
	res, err := s.d.Store.ChangeChat(ctx, store.ChatRef{ID: chatID}, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.EndByOperator(tx.Chat(), op, now)
	})
	return s.Ended(ctx, res, err)
}

// Ended announces a chat that ended and frees its operator's slot (SPEC 5).
func (s *Service) Ended(ctx context.Context, res store.ChatResult, err error) (desk.Chat, error) {
	if err != nil || !res.Changed {
		return res.Chat, err
	}
	s.d.Announce.Change(res.Before, res.Chat, res.Lines)
	if res.Before.State == desk.ChatActive {
		s.d.LoadChanged(res.Before.OperatorID)
		s.d.Routing.MoveQueue(ctx)
	}
	return res.Chat, nil
}

// TakeChat is "Accept" on a ticket: of two operators at once, one wins.
func (s *Service) TakeChat(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error) {
	now := s.d.Clock.Now()
	res, err := s.d.Store.ChangeChat(ctx, store.ChatRef{ID: chatID}, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.Take(tx.Chat(), op, now)
	})
	if err != nil {
		return res.Chat, err
	}
	if res.Changed {
		s.d.Announce.Logged(res.Before, res.Chat)
		s.d.Announce.Chat(res.Chat, res.Before.State, res.Before.OperatorID)
		s.d.LoadChanged(op.ID)
	}
	return res.Chat, nil
}

// TransferChat hands an active chat to another connected operator.
func (s *Service) TransferChat(ctx context.Context, by desk.Operator, chatID, toID int64) (desk.Chat, error) {
	to, err := s.d.Store.Operator(ctx, toID)
	if errors.Is(err, desk.ErrNotFound) {
		return desk.Chat{}, desk.NotFound("operator")
	}
	if err != nil {
		return desk.Chat{}, err
	}
	status := to.EffectiveStatus(s.d.Connected(to.ID))
	now := s.d.Clock.Now()
	res, err := s.d.Store.ChangeChat(ctx, store.ChatRef{ID: chatID}, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.Transfer(tx.Chat(), by, to, status, now)
	})
	if err != nil || !res.Changed {
		return res.Chat, err
	}
	s.d.Announce.Change(res.Before, res.Chat, res.Lines)
	s.d.LoadChanged(res.Before.OperatorID, to.ID)
	s.d.Routing.MoveQueue(ctx) // the previous operator gained room
	return res.Chat, nil
}
