package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// chatSelect reads chats as desk.Chat, with the names a chat shows. A change
// appends the dialect's LockChat, which holds only the chat row (alias c).
// Every chat is read with its latest message (a primary-key join), so
// lists and chat frames show it as a preview.
const chatSelect = `SELECT c.id, c.site_id, c.visitor_id, v.name, v.email, COALESCE(c.operator_id, 0), COALESCE(o.name, ''), c.state, c.started_by,
	COALESCE(c.invitation_id, 0), c.page_url, c.page_title, c.page_referrer, c.created_at, c.assigned_at, c.last_seq, c.routing,
	c.visitor_active_at, c.visitor_left_at, c.deadline, COALESCE(c.deadline_reason, ''), c.ended_at, COALESCE(c.ended_by, ''), COALESCE(c.end_reason, ''),
	COALESCE(c.ended_by_operator, 0), COALESCE(eo.name, ''), c.version,
	lm.author, COALESCE(lm.operator_id, 0), COALESCE(lmo.name, ''), lm.body, COALESCE(lm.client_id, ''), lm.created_at,
	COALESCE(o.id, 0), COALESCE(eo.id, 0), COALESCE(lm.seq, 0),
	c.first_assigned_at, c.first_response_at, COALESCE(cr.value, ''), COALESCE(cr.comment, ''), cr.rated_at
	FROM chats c JOIN visitors v ON v.id = c.visitor_id LEFT JOIN operators o ON o.id = c.operator_id
	LEFT JOIN chat_ratings cr ON cr.chat_id = c.id
	LEFT JOIN operators eo ON eo.id = c.ended_by_operator
	LEFT JOIN messages lm ON lm.chat_id = c.id AND lm.seq = c.last_seq LEFT JOIN operators lmo ON lmo.id = lm.operator_id`

// routingJSON is how a routing entry is kept in chats.routing.
type routingJSON struct {
	At         int64    `json:"at"`
	Kind       string   `json:"kind"`
	Text       string   `json:"text"`
	PassedOver []string `json:"passed_over,omitempty"`
}

// chatRow is a chat as read, with the version its update conditions on
// and the keys of the rows joined to it.
type chatRow struct {
	desk.Chat
	version int64
	// joined: the operator, the operator who ended it, the last message's seq
	joinedOp, joinedEndedBy, joinedSeq int64
}

func scanChat(row scanner) (chatRow, error) {
	var c chatRow
	var state, startedBy, routing, deadlineReason, endedBy, endReason string
	var created, active int64
	var assigned, left, deadline, ended, lmCreated, firstAssigned, firstResponse, ratedAt sql.NullInt64
	var ratingValue, ratingComment string
	var lmAuthor, lmBody sql.NullString
	var lm desk.Message
	err := row.Scan(&c.ID, &c.SiteID, &c.VisitorID, &c.VisitorName, &c.VisitorEmail, &c.OperatorID, &c.OperatorName, &state, &startedBy,
		&c.InvitationID, &c.Page.URL, &c.Page.Title, &c.Page.Referrer, &created, &assigned, &c.LastSeq, &routing,
		&active, &left, &deadline, &deadlineReason, &ended, &endedBy, &endReason, &c.EndedByOperatorID, &c.EndedByOperatorName, &c.version,
		&lmAuthor, &lm.OperatorID, &lm.OperatorName, &lmBody, &lm.ClientID, &lmCreated,
		&c.joinedOp, &c.joinedEndedBy, &c.joinedSeq,
		&firstAssigned, &firstResponse, &ratingValue, &ratingComment, &ratedAt)
	if err != nil {
		return c, notFound(err, "chat")
	}
	c.Version = c.version
	c.FirstAssignedAt, c.FirstResponseAt = fromNullMS(firstAssigned), fromNullMS(firstResponse)
	if ratingValue != "" {
		c.Rating = &desk.Rating{ChatID: c.ID, VisitorID: c.VisitorID, OperatorID: c.OperatorID, Value: desk.RatingValue(ratingValue),
			Comment: ratingComment, At: fromNullMS(ratedAt)}
	}
	if lmAuthor.Valid {
		lm.ChatID, lm.Seq, lm.Author, lm.Body, lm.CreatedAt = c.ID, c.joinedSeq, desk.Author(lmAuthor.String), lmBody.String, fromNullMS(lmCreated)
		c.LastMessage = &lm
	}
	c.State, c.StartedBy = desk.ChatState(state), desk.Author(startedBy)
	c.CreatedAt, c.AssignedAt, c.VisitorActiveAt = fromMS(created), fromNullMS(assigned), fromMS(active)
	c.VisitorLeftAt, c.Deadline, c.EndedAt = fromNullMS(left), fromNullMS(deadline), fromNullMS(ended)
	c.DeadlineReason, c.EndedBy, c.EndReason = desk.EndReason(deadlineReason), desk.Author(endedBy), desk.EndReason(endReason)
	c.Routing, err = decodeRouting(routing)
	return c, err
}

func decodeRouting(raw string) ([]desk.RoutingEntry, error) {
	var entries []routingJSON
	if err := json.Unmarshal([]byte(raw), &entries); err != nil {
		return nil, err
	}
	out := make([]desk.RoutingEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, desk.RoutingEntry{At: fromMS(e.At), Kind: desk.RoutingKind(e.Kind), Text: e.Text, PassedOver: e.PassedOver})
	}
	return out, nil
}

func encodeRouting(entries []desk.RoutingEntry) string {
	out := make([]routingJSON, len(entries))
	for i, e := range entries {
		out[i] = routingJSON{At: ms(e.At), Kind: string(e.Kind), Text: e.Text, PassedOver: e.PassedOver}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func (s *DB) Chat(ctx context.Context, id int64) (desk.Chat, error) {
	c, err := scanChat(s.read(ctx).row(chatSelect+` WHERE c.id = ?`, id))
	return c.Chat, err
}

func (s *DB) OpenChatOf(ctx context.Context, visitorID int64) (desk.Chat, error) {
	c, err := scanChat(s.read(ctx).row(chatSelect+` WHERE c.visitor_id = ? AND c.state <> 'ended'`, visitorID))
	return c.Chat, err
}

func (s *DB) ActiveChatsOf(ctx context.Context, operatorID int64) ([]int64, error) {
	rows, err := s.read(ctx).query(`SELECT id FROM chats WHERE operator_id = ? AND state = 'active' ORDER BY id`, operatorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *DB) ListChats(ctx context.Context, f store.ChatFilter) ([]desk.Chat, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.SiteID != 0 {
		add("c.site_id = ?", f.SiteID)
	}
	if len(f.States) > 0 {
		in := marks(len(f.States))
		var a []any
		for _, st := range f.States {
			a = append(a, string(st))
		}
		add("c.state IN ("+in+")", a...)
	}
	if f.OperatorID != 0 {
		add("c.operator_id = ?", f.OperatorID)
	}
	if f.VisitorID != 0 {
		add("c.visitor_id = ?", f.VisitorID)
	}
	if f.Text != "" {
		add(`EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = c.id AND lower(m.body) LIKE lower(?) ESCAPE '\')`, "%"+escapeLike(f.Text)+"%")
	}
	if !f.From.IsZero() {
		add("c.created_at >= ?", ms(f.From))
	}
	if !f.To.IsZero() {
		add("c.created_at < ?", ms(f.To))
	}
	if f.BeforeID != 0 {
		add("c.id < ?", f.BeforeID)
	}
	addHistoryFilters(f, add)
	q := chatSelect
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY c.id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	r := s.read(ctx)
	rows, err := r.adhoc(q, args...)
	if err != nil {
		return nil, err
	}
	return scanChats(rows)
}

func queryChats(r run, query string, args ...any) ([]desk.Chat, error) {
	rows, err := r.query(query, args...)
	if err != nil {
		return nil, err
	}
	return scanChats(rows)
}

func scanChats(rows *sql.Rows) ([]desk.Chat, error) {
	defer rows.Close()
	var out []desk.Chat
	for rows.Next() {
		c, err := scanChat(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c.Chat)
	}
	return out, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
