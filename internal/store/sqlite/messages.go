package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"outputdesk/internal/desk"
)

const messageSelect = `SELECT m.chat_id, m.seq, m.author, COALESCE(m.operator_id, 0), COALESCE(o.name, ''), m.body, COALESCE(m.client_id, ''), m.created_at
	FROM messages m LEFT JOIN operators o ON o.id = m.operator_id`

func scanMessage(row interface{ Scan(...any) error }) (desk.Message, error) {
	var m desk.Message
	var author string
	var created int64
	err := row.Scan(&m.ChatID, &m.Seq, &author, &m.OperatorID, &m.OperatorName, &m.Body, &m.ClientID, &created)
	m.Author, m.CreatedAt = desk.Author(author), fromMS(created)
	return m, notFound(err, "message")
}

func queryMessages(ctx context.Context, q querier, query string, args ...any) ([]desk.Message, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// insertMessage stores m with the chat's next seq.
func insertMessage(ctx context.Context, tx *sql.Tx, m desk.Message) (desk.Message, error) {
	if err := tx.QueryRowContext(ctx, `UPDATE chats SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq`, m.ChatID).Scan(&m.Seq); err != nil {
		return m, notFound(err, "chat")
	}
	var clientID any
	if m.ClientID != "" {
		clientID = m.ClientID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO messages (chat_id, seq, author, operator_id, body, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ChatID, m.Seq, string(m.Author), nullID(m.OperatorID), m.Body, clientID, ms(m.CreatedAt))
	if err != nil {
		return m, err
	}
	if m.OperatorID != 0 && m.OperatorName == "" {
		err = tx.QueryRowContext(ctx, `SELECT name FROM operators WHERE id = ?`, m.OperatorID).Scan(&m.OperatorName)
	}
	return m, err
}

func (s *Store) AddMessage(ctx context.Context, m desk.Message, t desk.Timeouts) (desk.Message, bool, error) {
	var out desk.Message
	var created bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := chatByID(ctx, tx, m.ChatID)
		if err != nil {
			return err
		}
		if m.ClientID != "" {
			prev, err := scanMessage(tx.QueryRowContext(ctx, messageSelect+` WHERE m.chat_id = ? AND m.client_id = ?`, m.ChatID, m.ClientID))
			if err == nil {
				out = prev
				return nil
			}
			if !errors.Is(err, desk.ErrNotFound) {
				return err
			}
		}
		if !c.Open() {
			return desk.Errorf(desk.CodeEnded, "This chat has ended")
		}
		if out, err = insertMessage(ctx, tx, m); err != nil {
			return err
		}
		created = true
		if m.Author == desk.AuthorVisitor {
			c.VisitorActiveAt = m.CreatedAt
			deadline, why := desk.Deadline(c, t)
			_, err = tx.ExecContext(ctx, `UPDATE chats SET visitor_active_at = ?, deadline = ?, deadline_reason = ? WHERE id = ?`,
				ms(m.CreatedAt), ms(deadline), string(why), m.ChatID)
		}
		return err
	})
	return out, created, err
}

func (s *Store) Messages(ctx context.Context, chatID int64, afterSeq int64, limit int) ([]desk.Message, error) {
	q := messageSelect + ` WHERE m.chat_id = ? AND m.seq > ? ORDER BY m.seq`
	args := []any{chatID, afterSeq}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	return queryMessages(ctx, s.r, q, args...)
}
