package sqlstore

import (
	"context"

	"outputdesk/internal/desk"
)

// RateChat keeps a chat's rating; rating again replaces it.
func (s *DB) RateChat(ctx context.Context, r desk.Rating) error {
	_, err := s.write(ctx).exec(`INSERT INTO chat_ratings (chat_id, value, comment, rated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET value = excluded.value, comment = excluded.comment, rated_at = excluded.rated_at`,
		r.ChatID, string(r.Value), r.Comment, ms(r.At))
	return err
}

// RatingOf is a chat's rating; desk.ErrNotFound if it has none.
func (s *DB) RatingOf(ctx context.Context, chatID int64) (desk.Rating, error) {
	r := desk.Rating{ChatID: chatID}
	var value string
	var at int64
	err := s.read(ctx).row(`SELECT value, comment, rated_at FROM chat_ratings WHERE chat_id = ?`, chatID).Scan(&value, &r.Comment, &at)
	r.Value, r.At = desk.RatingValue(value), fromMS(at)
	return r, notFound(err, "rating")
}
