package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

const chatSelect = `SELECT c.id, c.site_id, c.visitor_id, v.name, COALESCE(c.operator_id, 0), COALESCE(o.name, ''), c.state, c.started_by,
	COALESCE(c.invitation_id, 0), c.page_url, c.page_title, c.page_referrer, c.created_at, c.assigned_at, c.last_seq, c.routing,
	c.visitor_active_at, c.visitor_left_at, c.deadline, COALESCE(c.deadline_reason, ''), c.ended_at, COALESCE(c.ended_by, ''), COALESCE(c.end_reason, ''),
	COALESCE(c.ended_by_operator, 0), COALESCE(eo.name, '')
	FROM chats c JOIN visitors v ON v.id = c.visitor_id LEFT JOIN operators o ON o.id = c.operator_id
	LEFT JOIN operators eo ON eo.id = c.ended_by_operator`

// routingJSON is how a routing entry is kept in chats.routing.
type routingJSON struct {
	At         int64    `json:"at"`
	Kind       string   `json:"kind"`
	Text       string   `json:"text"`
	PassedOver []string `json:"passed_over,omitempty"`
}

func scanChat(row interface{ Scan(...any) error }) (desk.Chat, error) {
	var c desk.Chat
	var state, startedBy, routing, deadlineReason, endedBy, endReason string
	var created, active int64
	var assigned, left, deadline, ended sql.NullInt64
	err := row.Scan(&c.ID, &c.SiteID, &c.VisitorID, &c.VisitorName, &c.OperatorID, &c.OperatorName, &state, &startedBy,
		&c.InvitationID, &c.Page.URL, &c.Page.Title, &c.Page.Referrer, &created, &assigned, &c.LastSeq, &routing,
		&active, &left, &deadline, &deadlineReason, &ended, &endedBy, &endReason, &c.EndedByOperatorID, &c.EndedByOperatorName)
	if err != nil {
		return c, notFound(err, "chat")
	}
	c.State, c.StartedBy = desk.ChatState(state), desk.Author(startedBy)
	c.CreatedAt, c.AssignedAt, c.VisitorActiveAt = fromMS(created), fromNullMS(assigned), fromMS(active)
	c.VisitorLeftAt, c.Deadline, c.EndedAt = fromNullMS(left), fromNullMS(deadline), fromNullMS(ended)
	c.DeadlineReason, c.EndedBy, c.EndReason = desk.EndReason(deadlineReason), desk.Author(endedBy), desk.EndReason(endReason)
	var entries []routingJSON
	if err := json.Unmarshal([]byte(routing), &entries); err != nil {
		return c, err
	}
	for _, e := range entries {
		c.Routing = append(c.Routing, desk.RoutingEntry{At: fromMS(e.At), Kind: desk.RoutingKind(e.Kind), Text: e.Text, PassedOver: e.PassedOver})
	}
	return c, nil
}

func encodeRouting(entries []desk.RoutingEntry) string {
	out := make([]routingJSON, len(entries))
	for i, e := range entries {
		out[i] = routingJSON{At: ms(e.At), Kind: string(e.Kind), Text: e.Text, PassedOver: e.PassedOver}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func chatByID(ctx context.Context, q querier, id int64) (desk.Chat, error) {
	return scanChat(q.QueryRowContext(ctx, chatSelect+` WHERE c.id = ?`, id))
}

func (s *Store) Chat(ctx context.Context, id int64) (desk.Chat, error) { return chatByID(ctx, s.r, id) }

func (s *Store) OpenChatOf(ctx context.Context, visitorID int64) (desk.Chat, error) {
	return scanChat(s.r.QueryRowContext(ctx, chatSelect+` WHERE c.visitor_id = ? AND c.state <> 'ended'`, visitorID))
}

func (s *Store) CreateChat(ctx context.Context, n store.NewChat) (desk.Chat, []desk.Message, error) {
	var out desk.Chat
	var msgs []desk.Message
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if n.AcceptInvitation != 0 {
			res, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'accepted', closed_at = ? WHERE id = ? AND visitor_id = ? AND state = 'open'`,
				ms(n.Chat.CreatedAt), n.AcceptInvitation, n.Chat.VisitorID)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return desk.Errorf(desk.CodeConflict, "The invitation is no longer open")
			}
		}
		c := n.Chat
		res, err := tx.ExecContext(ctx, `INSERT INTO chats (site_id, visitor_id, operator_id, state, started_by, invitation_id, page_url, page_title, page_referrer,
			created_at, assigned_at, last_seq, routing, visitor_active_at, visitor_left_at, deadline, deadline_reason)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
			c.SiteID, c.VisitorID, nullID(c.OperatorID), string(c.State), string(c.StartedBy), nullID(c.InvitationID), c.Page.URL, c.Page.Title, c.Page.Referrer,
			ms(c.CreatedAt), nullMS(c.AssignedAt), encodeRouting(c.Routing), ms(c.VisitorActiveAt), nullMS(c.VisitorLeftAt), nullMS(c.Deadline), string(c.DeadlineReason))
		if isUnique(err) {
			return desk.Errorf(desk.CodeConflict, "The visitor already has an open chat")
		}
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if c.OperatorID != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE operators SET last_assigned_at = ? WHERE id = ?`, ms(c.AssignedAt), c.OperatorID); err != nil {
				return err
			}
		}
		for _, m := range n.Messages {
			m.ChatID = id
			stored, err := insertMessage(ctx, tx, m)
			if err != nil {
				return err
			}
			msgs = append(msgs, stored)
		}
		out, err = chatByID(ctx, tx, id)
		return err
	})
	return out, msgs, err
}

func (s *Store) ListChats(ctx context.Context, f store.ChatFilter) ([]desk.Chat, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.SiteID != 0 {
		add("c.site_id = ?", f.SiteID)
	}
	if len(f.States) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?,", len(f.States)), ",")
		cond := "c.state IN (" + marks + ")"
		var a []any
		for _, st := range f.States {
			a = append(a, string(st))
		}
		add(cond, a...)
	}
	if f.OperatorID != 0 {
		add("c.operator_id = ?", f.OperatorID)
	}
	if f.VisitorID != 0 {
		add("c.visitor_id = ?", f.VisitorID)
	}
	if f.Text != "" {
		add(`EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = c.id AND m.body LIKE ? ESCAPE '\')`, "%"+escapeLike(f.Text)+"%")
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
	q := chatSelect
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY c.id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	chats, err := queryChats(ctx, s.r, q, args...)
	if err != nil {
		return nil, err
	}
	return chats, s.fillLastMessages(ctx, chats)
}

func queryChats(ctx context.Context, q querier, query string, args ...any) ([]desk.Chat, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Chat
	for rows.Next() {
		c, err := scanChat(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// fillLastMessages loads each chat's latest message in one query.
func (s *Store) fillLastMessages(ctx context.Context, chats []desk.Chat) error {
	if len(chats) == 0 {
		return nil
	}
	idx := map[int64]int{}
	var args []any
	for i, c := range chats {
		if c.LastSeq > 0 {
			idx[c.ID] = i
			args = append(args, c.ID)
		}
	}
	if len(args) == 0 {
		return nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")
	msgs, err := queryMessages(ctx, s.r, messageSelect+` JOIN chats c ON c.id = m.chat_id AND m.seq = c.last_seq WHERE m.chat_id IN (`+marks+`)`, args...)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		m := m
		chats[idx[m.ChatID]].LastMessage = &m
	}
	return nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// appendRouting adds an entry to a chat's routing record inside tx.
func appendRouting(ctx context.Context, tx *sql.Tx, chatID int64, e desk.RoutingEntry) error {
	var raw string
	if err := tx.QueryRowContext(ctx, `SELECT routing FROM chats WHERE id = ?`, chatID).Scan(&raw); err != nil {
		return notFound(err, "chat")
	}
	var entries []routingJSON
	if err := json.Unmarshal([]byte(raw), &entries); err != nil {
		return err
	}
	entries = append(entries, routingJSON{At: ms(e.At), Kind: string(e.Kind), Text: e.Text, PassedOver: e.PassedOver})
	b, _ := json.Marshal(entries)
	_, err := tx.ExecContext(ctx, `UPDATE chats SET routing = ? WHERE id = ?`, string(b), chatID)
	return err
}

// assign makes a waiting chat active with op, records why, and stamps the
// operator's last assignment. It reports false if the chat was not waiting.
func assign(ctx context.Context, tx *sql.Tx, chatID int64, opID int64, e desk.RoutingEntry, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE chats SET state = 'active', operator_id = ?, assigned_at = ? WHERE id = ? AND state = 'waiting'`,
		opID, ms(now), chatID)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE operators SET last_assigned_at = ? WHERE id = ?`, ms(now), opID); err != nil {
		return false, err
	}
	return true, appendRouting(ctx, tx, chatID, e)
}
