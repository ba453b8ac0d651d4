package chats

import (
	"context"
	"errors"

	"outputdesk/internal/desk"
	"outputdesk/internal/realtime"
	"outputdesk/internal/store"
)

// chatOfSite loads a chat the operator's site owns; others are not found.
func (s *Service) chatOfSite(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, error) {
	chat, err := s.d.Store.Chat(ctx, chatID)
	if err == nil && chat.SiteID != op.SiteID {
		err = desk.NotFound("chat")
	}
	return chat, err
}

// CheckWatch lets any operator of the site read any of its chats.
func (s *Service) CheckWatch(ctx context.Context, op desk.Operator, chatID int64) error {
	_, err := s.chatOfSite(ctx, op, chatID)
	return err
}

// ChatRecord is GET /api/chats/{id}: the chat (with its rating), its
// messages and its private notes, the chat read once.
func (s *Service) ChatRecord(ctx context.Context, op desk.Operator, chatID int64) (desk.Chat, []desk.Message, []desk.Note, error) {
	chat, err := s.chatOfSite(ctx, op, chatID)
	if err != nil {
		return chat, nil, nil, err
	}
	msgs, err := s.d.Store.Messages(ctx, chatID, 0, 0)
	if err != nil {
		return chat, nil, nil, err
	}
	notes, err := s.d.Store.Notes(ctx, chatID)
	return chat, msgs, notes, err
}

// ListChats is GET /api/chats (History and lists).
func (s *Service) ListChats(ctx context.Context, op desk.Operator, f store.ChatFilter) ([]desk.Chat, error) {
	f.SiteID = op.SiteID
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	if err := store.OperatorOfSite(ctx, s.d.Store, op.SiteID, f.OperatorID); err != nil {
		return nil, err
	}
	return s.d.Store.ListChats(ctx, f)
}

// VisitorState is what a widget tab shows on (re)connecting.
func (s *Service) VisitorState(ctx context.Context, v desk.Visitor, chatID, lastSeq int64) (realtime.VisitorState, error) {
	var st realtime.VisitorState
	chat, err := s.d.Store.OpenChatOf(ctx, v.ID)
	switch {
	case err == nil:
		st.Chat = &chat
	case !errors.Is(err, desk.ErrNotFound):
		return st, err
	case chatID != 0:
		// the chat this tab knew may have ended while it was away
		if old, err := s.d.Store.Chat(ctx, chatID); err == nil && old.VisitorID == v.ID {
			st.Chat = &old
		}
	}
	if st.Chat != nil {
		after := int64(0)
		if st.Chat.ID == chatID {
			after = lastSeq
		}
		if st.Messages, err = s.d.Store.Messages(ctx, st.Chat.ID, after, 0); err != nil {
			return st, err
		}
	}
	if st.SeenSeq, err = s.seenSeq(ctx, st.Chat); err != nil {
		return st, err
	}
	inv, err := s.d.Store.OpenInvitationOf(ctx, v.ID)
	switch {
	case err == nil:
		st.Invitation = &inv
	case !errors.Is(err, desk.ErrNotFound):
		return st, err
	}
	return st, nil
}

// ConsoleState is what a console gets on (re)connecting.
func (s *Service) ConsoleState(ctx context.Context, op desk.Operator) (realtime.ConsoleState, error) {
	var st realtime.ConsoleState
	ops, err := s.d.ListOperators(ctx)
	if err != nil {
		return st, err
	}
	st.Operators = ops
	for _, o := range ops {
		if o.ID == op.ID {
			st.Operator = o
		}
	}
	waiting, err := s.d.Store.ListChats(ctx, store.ChatFilter{SiteID: op.SiteID, States: []desk.ChatState{desk.ChatWaiting}})
	if err != nil {
		return st, err
	}
	mine, err := s.d.Store.ListChats(ctx, store.ChatFilter{SiteID: op.SiteID, States: []desk.ChatState{desk.ChatActive}, OperatorID: op.ID})
	if err != nil {
		return st, err
	}
	st.Chats = append(waiting, mine...)
	st.Read, err = s.readPositions(ctx, op, st.Chats)
	return st, err
}
