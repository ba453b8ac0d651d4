package chats

import (
	"context"
	"errors"

	"outputdesk/internal/desk"
)

// RateChat keeps the visitor's "Rate this chat" of their ended chat and
// shows it to the consoles of the chat's operator and of whoever watches it.
func (s *Service) RateChat(ctx context.Context, v desk.Visitor, chatID int64, value, comment string) error {
	chat, err := s.d.Store.Chat(ctx, chatID)
	if errors.Is(err, desk.ErrNotFound) || (err == nil && chat.SiteID != v.SiteID) {
		return desk.NotFound("chat")
	}
	if err != nil {
		return err
	}
	r, err := desk.Rate(chat, v.ID, desk.RatingValue(value), comment, s.d.Clock.Now())
	if err != nil {
		return err
	}
	if err := s.d.Store.RateChat(ctx, r); err != nil {
		return err
	}
	s.d.Announce.Rating(chat.SiteID, r)
	return nil
}
