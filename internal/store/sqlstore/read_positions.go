package sqlstore

import (
	"context"
	"time"
)

// MarkRead moves an operator's read position up, never down: the update
// is conditioned on the position being lower, so two consoles of one
// operator marking at once keep the higher.
func (s *DB) MarkRead(ctx context.Context, chatID, operatorID, seq int64, at time.Time) (int64, bool, error) {
	var pos int64
	var moved bool
	err := s.tx(ctx, func(r run) error {
		res, err := r.exec(`INSERT INTO read_positions (chat_id, operator_id, seq, read_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (chat_id, operator_id) DO UPDATE SET seq = excluded.seq, read_at = excluded.read_at
			WHERE read_positions.seq < excluded.seq`, chatID, operatorID, seq, ms(at))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		moved = n == 1
		return r.row(`SELECT seq FROM read_positions WHERE chat_id = ? AND operator_id = ?`, chatID, operatorID).Scan(&pos)
	})
	return pos, moved, err
}

// ReadPositions is the operator's position in each of the chats that has
// one.
func (s *DB) ReadPositions(ctx context.Context, operatorID int64, chatIDs []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(chatIDs))
	for len(chatIDs) > 0 {
		n := min(len(chatIDs), 500) // well under every database's limit of parameters
		args := make([]any, 0, n+1)
		args = append(args, operatorID)
		for _, id := range chatIDs[:n] {
			args = append(args, id)
		}
		chatIDs = chatIDs[n:]
		rows, err := s.read(ctx).adhoc(`SELECT chat_id, seq FROM read_positions WHERE operator_id = ? AND chat_id IN (`+marks(n)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, seq int64
			if err := rows.Scan(&id, &seq); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = seq
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SeenSeq is the highest position any operator has read the chat to.
func (s *DB) SeenSeq(ctx context.Context, chatID int64) (int64, error) {
	var seq int64
	err := s.read(ctx).row(`SELECT COALESCE(MAX(seq), 0) FROM read_positions WHERE chat_id = ?`, chatID).Scan(&seq)
	return seq, err
}
