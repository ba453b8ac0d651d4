package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// addHistoryFilters adds History's filters to a chat list's conditions.
// Each reads the chat row's own columns: first_assigned_at and
// first_response_at are kept on the row for this.
func addHistoryFilters(f store.ChatFilter, add func(cond string, args ...any)) {
	switch f.EndedBy {
	case desk.EndedByVisitorKind:
		add("c.state = 'ended' AND c.end_reason = 'cancel' AND c.ended_by = 'visitor'")
	case desk.EndedByOperatorKind:
		add("c.state = 'ended' AND c.end_reason = 'cancel' AND c.ended_by = 'operator'")
	case desk.EndedByInactivity:
		add("c.state = 'ended' AND c.end_reason IN ('inactivity', 'left')")
	}
	if f.Rating != "" {
		add("cr.value = ?", string(f.Rating))
	}
	if f.Missed {
		add("c.state = 'ended' AND c.first_assigned_at IS NULL")
	}
	for _, m := range []struct {
		col string
		min time.Duration
	}{{"c.first_assigned_at", f.MinWait}, {"c.first_response_at", f.MinFirstResponse}, {"c.ended_at", f.MinDuration}} {
		if m.min > 0 {
			add(m.col+" - c.created_at >= ?", m.min.Milliseconds())
		}
	}
}

// ReportChats reads the period's chats from the chats_report index, which
// holds every column a report needs.
func (s *DB) ReportChats(ctx context.Context, siteID int64, from, to time.Time, fn func(desk.ReportChat)) error {
	rows, err := s.read(ctx).query(`SELECT created_at, first_assigned_at, first_response_at, ended_at, COALESCE(operator_id, 0)
		FROM chats WHERE site_id = ? AND created_at >= ? AND created_at < ?`, siteID, ms(from), ms(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var created int64
		var assigned, response, ended sql.NullInt64
		var c desk.ReportChat
		if err := rows.Scan(&created, &assigned, &response, &ended, &c.OperatorID); err != nil {
			return err
		}
		c.CreatedAt, c.FirstAssignedAt, c.FirstResponseAt, c.EndedAt = fromMS(created), fromNullMS(assigned), fromNullMS(response), fromNullMS(ended)
		fn(c)
	}
	return rows.Err()
}
