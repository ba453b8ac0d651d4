package sqlstore

import (
	"context"

	"outputdesk/internal/desk"
)

const noteSelect = `SELECT n.id, n.chat_id, n.operator_id, o.name, n.body, n.created_at FROM chat_notes n JOIN operators o ON o.id = n.operator_id`

func scanNote(row scanner) (desk.Note, error) {
	var n desk.Note
	var created int64
	err := row.Scan(&n.ID, &n.ChatID, &n.OperatorID, &n.OperatorName, &n.Body, &created)
	n.CreatedAt = fromMS(created)
	return n, notFound(err, "note")
}

func (s *DB) AddNote(ctx context.Context, n desk.Note) (desk.Note, error) {
	w := s.write(ctx)
	var id int64
	if err := w.row(`INSERT INTO chat_notes (chat_id, operator_id, body, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		n.ChatID, n.OperatorID, n.Body, ms(n.CreatedAt)).Scan(&id); err != nil {
		return n, err
	}
	return scanNote(w.row(noteSelect+` WHERE n.id = ?`, id))
}

func (s *DB) Notes(ctx context.Context, chatID int64) ([]desk.Note, error) {
	return all(s.read(ctx), scanNote, noteSelect+` WHERE n.chat_id = ? ORDER BY n.id`, chatID)
}
