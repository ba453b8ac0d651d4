package chats

import (
	"context"

	"outputdesk/internal/desk"
)

// MarkRead records that the operator has read the chat up to seq, on the
// server, so unread counts are right after a new log-in and on a second
// device. A position that moves is announced: the operator's other
// consoles follow, and the visitor's tabs show "Seen".
func (s *Service) MarkRead(ctx context.Context, op desk.Operator, chatID, seq int64) (int64, error) {
	chat, err := s.d.Store.Chat(ctx, chatID)
	if err != nil {
		return 0, err
	}
	if err := desk.CheckRead(chat, op, seq); err != nil {
		return 0, err
	}
	pos, moved, err := s.d.Store.MarkRead(ctx, chat.ID, op.ID, seq, s.d.Clock.Now())
	if err != nil {
		return 0, err
	}
	if moved {
		s.d.Announce.Read(desk.ReadMark{ChatID: chat.ID, VisitorID: chat.VisitorID, OperatorID: op.ID, Seq: pos})
	}
	return pos, nil
}

// ReadPosition is how far the operator has read a chat of their site.
func (s *Service) ReadPosition(ctx context.Context, op desk.Operator, chatID int64) (int64, error) {
	if _, err := s.chatOfSite(ctx, op, chatID); err != nil {
		return 0, err
	}
	read, err := s.d.Store.ReadPositions(ctx, op.ID, []int64{chatID})
	return read[chatID], err
}

// readPositions is how far the operator has read each of chats.
func (s *Service) readPositions(ctx context.Context, op desk.Operator, chats []desk.Chat) (map[int64]int64, error) {
	ids := make([]int64, len(chats))
	for i, c := range chats {
		ids[i] = c.ID
	}
	return s.d.Store.ReadPositions(ctx, op.ID, ids)
}

// seenSeq is how far an operator has read the visitor's chat: 0 for none.
func (s *Service) seenSeq(ctx context.Context, chat *desk.Chat) (int64, error) {
	if chat == nil {
		return 0, nil
	}
	return s.d.Store.SeenSeq(ctx, chat.ID)
}
