package sqlstore

import (
	"context"
	"database/sql"

	"outputdesk/internal/store"
)

func (s *DB) OpenChatCounts(ctx context.Context) (store.OpenChatCounts, error) {
	// each part reads one partial index (chats_waiting, chats_active), not
	// the table
	var n store.OpenChatCounts
	var oldest sql.NullInt64
	err := s.read(ctx).row(`SELECT (SELECT count(*) FROM chats WHERE state = 'waiting'), (SELECT count(*) FROM chats WHERE state = 'active'),
		(SELECT min(created_at) FROM chats WHERE state = 'waiting')`).Scan(&n.Waiting, &n.Active, &oldest)
	n.OldestWaiting = fromNullMS(oldest)
	return n, err
}
