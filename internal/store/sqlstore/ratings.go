package sqlstore

import (
	"context"
	"time"

	"outputdesk/internal/desk"
)

// RateChat keeps a chat's rating; rating again replaces it.
func (s *DB) RateChat(ctx context.Context, r desk.Rating) error {
	_, err := s.write(ctx).exec(`INSERT INTO chat_ratings (chat_id, value, comment, rated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET value = excluded.value, comment = excluded.comment, rated_at = excluded.rated_at`,
		r.ChatID, string(r.Value), r.Comment, ms(r.At))
	return err
}

// RatingCounts reads the ratings table and the chats' primary key only.
func (s *DB) RatingCounts(ctx context.Context, siteID int64, from, to time.Time) (good, bad int, err error) {
	err = s.read(ctx).row(`SELECT COALESCE(SUM(CASE WHEN cr.value = 'good' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN cr.value = 'bad' THEN 1 ELSE 0 END), 0)
		FROM chat_ratings cr JOIN chats c ON c.id = cr.chat_id WHERE c.site_id = ? AND c.created_at >= ? AND c.created_at < ?`, siteID, ms(from), ms(to)).Scan(&good, &bad)
	return good, bad, err
}
