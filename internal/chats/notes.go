package chats

import (
	"context"

	"outputdesk/internal/desk"
)

// AddNote stores a private note on a chat and shows it to the consoles
// watching the chat; never to the visitor.
func (s *Service) AddNote(ctx context.Context, op desk.Operator, chatID int64, body string) (desk.Note, error) {
	chat, err := s.d.Store.Chat(ctx, chatID)
	if err != nil {
		return desk.Note{}, err
	}
	n, err := desk.AddNote(chat, op, body, s.d.MaxMessageBytes, s.d.Clock.Now())
	if err != nil {
		return n, err
	}
	if n, err = s.d.Store.AddNote(ctx, n); err != nil {
		return n, err
	}
	s.d.Announce.Note(n)
	return n, nil
}

// Notes lists a chat's private notes for an operator of its site.
func (s *Service) Notes(ctx context.Context, op desk.Operator, chatID int64) ([]desk.Note, error) {
	if _, err := s.chatOfSite(ctx, op, chatID); err != nil {
		return nil, err
	}
	return s.d.Store.Notes(ctx, chatID)
}
