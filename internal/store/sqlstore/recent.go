package sqlstore

import (
	"context"
	"time"

	"outputdesk/internal/store"
)

// RecentOf reads, for many visitors in three queries, their latest chat and
// invitation and the automated rules that fired for them since since.
func (s *DB) RecentOf(ctx context.Context, visitorIDs []int64, since time.Time) (map[int64]store.Recent, error) {
	out := make(map[int64]store.Recent, len(visitorIDs))
	if len(visitorIDs) == 0 {
		return out, nil
	}
	in := marks(len(visitorIDs))
	args := make([]any, len(visitorIDs))
	for i, id := range visitorIDs {
		args[i] = id
	}
	r := s.read(ctx)
	rows, err := r.adhoc(chatSelect+` WHERE c.id IN (SELECT max(id) FROM chats WHERE visitor_id IN (`+in+`) GROUP BY visitor_id)`, args...)
	if err != nil {
		return nil, err
	}
	chats, err := scanChats(rows)
	if err != nil {
		return nil, err
	}
	for _, c := range chats {
		rec := out[c.VisitorID]
		rec.Chat = &c
		out[c.VisitorID] = rec
	}
	rows, err = r.adhoc(invitationSelect+` WHERE i.visitor_id IN (`+in+`) AND (i.created_at >= ? OR i.id IN
		(SELECT max(id) FROM invitations WHERE visitor_id IN (`+in+`) GROUP BY visitor_id)) ORDER BY i.id`,
		append(append(append([]any{}, args...), ms(since)), args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		rec := out[inv.VisitorID]
		rec.Invitation = &inv // ordered by id: the latest is last
		if inv.RuleID != 0 && !inv.CreatedAt.Before(since) {
			rec.Fired = append(rec.Fired, store.Fired{RuleID: inv.RuleID, At: inv.CreatedAt})
		}
		out[inv.VisitorID] = rec
	}
	return out, rows.Err()
}
