package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

const messageSelect = `SELECT m.chat_id, m.seq, m.author, COALESCE(m.operator_id, 0), COALESCE(o.name, ''), m.body, COALESCE(m.client_id, ''), m.created_at,
	COALESCE(f.id, 0), COALESCE(f.name, ''), COALESCE(f.type, ''), COALESCE(f.size, 0)
	FROM messages m LEFT JOIN operators o ON o.id = m.operator_id LEFT JOIN files f ON f.id = m.file_id`

func scanMessage(row scanner) (desk.Message, error) {
	var m desk.Message
	var author string
	var created int64
	var f desk.File
	err := row.Scan(&m.ChatID, &m.Seq, &author, &m.OperatorID, &m.OperatorName, &m.Body, &m.ClientID, &created,
		&f.ID, &f.Name, &f.Type, &f.Size)
	m.Author, m.CreatedAt = desk.Author(author), fromMS(created)
	if f.ID != 0 {
		// the description only: the bytes are read by File alone
		f.ChatID, f.CreatedAt = m.ChatID, m.CreatedAt
		m.File = &f
	}
	return m, notFound(err, "message")
}

func scanMessages(rows *sql.Rows) ([]desk.Message, error) {
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

// insertMessage stores a message whose seq the caller numbered while holding
// its chat.
func insertMessage(r run, m desk.Message) error {
	_, err := r.exec(`INSERT INTO messages (chat_id, seq, author, operator_id, body, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ChatID, m.Seq, string(m.Author), nullID(m.OperatorID), m.Body, nullString(m.ClientID), ms(m.CreatedAt))
	return err
}

// errRetry rolls back a transaction that found the message stored already.
var errRetry = errors.New("sqlstore: message already stored")

func (s *DB) AddMessage(ctx context.Context, ref store.ChatRef, m desk.Message, decide func(c desk.Chat) (desk.ChatChange, error)) (desk.Chat, desk.Message, bool, error) {
	var chat desk.Chat
	var out desk.Message
	err := s.tx(ctx, func(r run) error {
		c, err := s.holdCore(r, ref)
		if err != nil {
			return err
		}
		chat = c.Chat
		ch, derr := decide(c.Chat)
		if derr != nil || !ch.Changed {
			// a retry of a message stored before still gets its ack
			if prev, err := s.storedRetry(r, c.ID, m.ClientID); err == nil {
				out = prev
				return errRetry
			}
			return derr
		}
		m.ChatID, m.Seq = c.ID, c.LastSeq+1
		var fileID int64
		if m.File != nil {
			f := *m.File
			f.SiteID, f.ChatID = c.SiteID, c.ID
			if err := insertFile(r, &f); err != nil {
				return err
			}
			f.Size, f.Data = int64(len(f.Data)), nil
			m.File, fileID = &f, f.ID
		}
		var seq int64
		err = r.row(`INSERT INTO messages (chat_id, seq, author, operator_id, body, client_id, created_at, file_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING seq`, m.ChatID, m.Seq, string(m.Author), nullID(m.OperatorID), m.Body, nullString(m.ClientID), ms(m.CreatedAt), nullID(fileID)).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			// a retry: rolling back also takes back the file stored above
			if out, err = s.storedRetry(r, c.ID, m.ClientID); err != nil {
				return err
			}
			return errRetry
		}
		if err != nil {
			return err
		}
		after := ch.Chat
		after.LastSeq, after.LastMessage, after.Version = m.Seq, &m, c.version+1
		// an operator's first message is the chat's first response, recorded once
		var response any
		if m.Author == desk.AuthorOperator {
			response = ms(m.CreatedAt)
		}
		res, err := r.exec(`UPDATE chats SET last_seq = ?, visitor_active_at = ?, deadline = ?, deadline_reason = ?,
			first_response_at = COALESCE(first_response_at, ?), version = version + 1 WHERE id = ? AND version = ?`,
			after.LastSeq, ms(after.VisitorActiveAt), nullMS(after.Deadline), nullString(string(after.DeadlineReason)), response, c.ID, c.version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, errChatMoved)
		}
		chat, out = after, m
		return nil
	})
	switch {
	case errors.Is(err, errRetry):
		return chat, out, false, nil
	case err != nil:
		return chat, desk.Message{}, false, err
	}
	return chat, out, true, nil
}

// chatCore is what deciding on a message needs of its chat: no names, no
// routing record, no last message — a message is the hot path.
const chatCore = `SELECT c.id, c.site_id, c.visitor_id, COALESCE(c.operator_id, 0), c.state, c.last_seq, c.version,
	c.visitor_active_at, c.visitor_left_at, c.deadline, COALESCE(c.deadline_reason, '') FROM chats c`

// holdCore holds the chat ref names and reads its core.
func (s *DB) holdCore(r run, ref store.ChatRef) (chatRow, error) {
	where, arg := `WHERE c.id = ?`, ref.ID
	if ref.ID == 0 {
		where, arg = `WHERE c.visitor_id = ? AND c.state <> 'ended'`, ref.OpenOf
	}
	var c chatRow
	var state, reason string
	var active int64
	var left, deadline sql.NullInt64
	err := s.held(func() error {
		return r.row(chatCore+` `+where+` `+s.d.LockChat, arg).Scan(&c.ID, &c.SiteID, &c.VisitorID, &c.OperatorID, &state, &c.LastSeq, &c.version,
			&active, &left, &deadline, &reason)
	})
	c.State, c.DeadlineReason, c.Version = desk.ChatState(state), desk.EndReason(reason), c.version
	c.VisitorActiveAt, c.VisitorLeftAt, c.Deadline = fromMS(active), fromNullMS(left), fromNullMS(deadline)
	return c, notFound(err, "chat")
}

// storedRetry is the message with clientID already stored in the chat.
func (s *DB) storedRetry(r run, chatID int64, clientID string) (desk.Message, error) {
	if clientID == "" {
		return desk.Message{}, desk.NotFound("message")
	}
	return scanMessage(r.row(messageSelect+` WHERE m.chat_id = ? AND m.client_id = ?`, chatID, clientID))
}

func (s *DB) VisitorMessage(ctx context.Context, visitorID int64, clientID string) (desk.Message, error) {
	// two point reads: the visitor's latest chat, then the message in it
	// (a query over all the visitor's messages would read their history)
	return scanMessage(s.read(ctx).row(messageSelect+` WHERE m.chat_id = (SELECT id FROM chats WHERE visitor_id = ? ORDER BY id DESC LIMIT 1)
		AND m.client_id = ? AND m.author = 'visitor'`, visitorID, clientID))
}

func (s *DB) Messages(ctx context.Context, chatID int64, afterSeq int64, limit int) ([]desk.Message, error) {
	const q = messageSelect + ` WHERE m.chat_id = ? AND m.seq > ? ORDER BY m.seq`
	r := s.read(ctx)
	var rows *sql.Rows
	var err error
	if limit > 0 {
		rows, err = r.query(q+` LIMIT ?`, chatID, afterSeq, limit)
	} else {
		rows, err = r.query(q, chatID, afterSeq)
	}
	if err != nil {
		return nil, err
	}
	return scanMessages(rows)
}
