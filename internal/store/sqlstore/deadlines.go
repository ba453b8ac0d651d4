package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"outputdesk/internal/desk"
)

// DueChats and NextDeadline read the index of open chats' deadlines only.

func (s *DB) DueChats(ctx context.Context, now time.Time) ([]desk.Chat, error) {
	return queryChats(s.read(ctx), chatSelect+` WHERE c.state <> 'ended' AND c.deadline <= ? ORDER BY c.deadline, c.id`, ms(now))
}

func (s *DB) NextDeadline(ctx context.Context) (time.Time, error) {
	var at sql.NullInt64
	err := s.read(ctx).row(`SELECT min(deadline) FROM chats WHERE state <> 'ended' AND deadline IS NOT NULL`).Scan(&at)
	return fromNullMS(at), err
}
