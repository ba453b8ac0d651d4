package sqlstore

import (
	"context"
	"errors"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// errChatMoved is a conditional update that found the chat changed since
// it was read. Holding the chat makes it impossible; it is the check that
// proves so.
var errChatMoved = errors.New("sqlstore: the chat changed after it was read")

func (s *DB) ChangeChat(ctx context.Context, ref store.ChatRef, decide func(tx store.ChatTx) (desk.ChatChange, error)) (store.ChatResult, error) {
	var res store.ChatResult
	err := s.tx(ctx, func(r run) error { return s.change(r, ref, decide, &res) })
	if err != nil {
		res.Chat, res.Lines, res.Changed = res.Before, nil, false
	}
	return res, err
}

// change holds the chat, lets decide choose and applies its change.
func (s *DB) change(r run, ref store.ChatRef, decide func(tx store.ChatTx) (desk.ChatChange, error), res *store.ChatResult) error {
	c, err := s.holdChat(r, ref)
	if err != nil {
		return err
	}
	res.Before, res.Chat = c.Chat, c.Chat
	ch, err := decide(&chatTx{s: s, r: r, c: c.Chat})
	if err != nil || !ch.Changed {
		return err
	}
	after, lines, err := s.apply(r, c, ch)
	if err != nil {
		return err
	}
	res.Chat, res.Lines, res.Changed = after, lines, true
	return nil
}

// holdChat reads the chat ref names and holds it until the transaction ends.
func (s *DB) holdChat(r run, ref store.ChatRef) (chatRow, error) {
	switch {
	case ref.ID != 0:
		return s.holdWhere(r, `WHERE c.id = ?`, ref.ID)
	case ref.OpenOf != 0:
		return s.holdWhere(r, `WHERE c.visitor_id = ? AND c.state <> 'ended'`, ref.OpenOf)
	}
	return chatRow{}, desk.NotFound("chat")
}

// holdWhere holds the chat where selects and reads it whole. PostgreSQL,
// having waited for another change to release the chat, reads the chat row
// again but not the rows joined to it (the operator's name, the last
// message): a read whose joined parts no longer match the chat is done
// again, now that the chat is held.
func (s *DB) holdWhere(r run, where string, arg int64) (chatRow, error) {
	var c chatRow
	err := s.held(func() (err error) {
		c, err = scanChat(r.row(chatSelect+` `+where+` `+s.d.LockChat, arg))
		return err
	})
	if err != nil || s.d.LockChat == "" || c.joinedMatch() {
		return c, err
	}
	return scanChat(r.row(chatSelect+` WHERE c.id = ?`, c.ID))
}

// joinedMatch reports whether the rows joined to a chat row are the ones
// its columns name.
func (c chatRow) joinedMatch() bool {
	return c.joinedOp == c.OperatorID && c.joinedEndedBy == c.EndedByOperatorID && c.joinedSeq == c.LastSeq
}

// apply writes a decided change onto the chat read as before: one update
// conditioned on before's version, the routing record, the system lines,
// and the assigned operator's last assignment.
func (s *DB) apply(r run, before chatRow, ch desk.ChatChange) (desk.Chat, []desk.Message, error) {
	after := ch.Chat
	// a decision changes what happens to the chat, never which chat it is
	after.ID, after.SiteID, after.VisitorID, after.VisitorName = before.ID, before.SiteID, before.VisitorID, before.VisitorName
	after.CreatedAt, after.StartedBy, after.InvitationID = before.CreatedAt, before.StartedBy, before.InvitationID
	after.LastSeq, after.Version = before.LastSeq+int64(len(ch.Lines)), before.version+1
	// the first assignment is recorded once, with the change that makes it
	var firstAssigned any
	after.FirstAssignedAt, after.FirstResponseAt = before.FirstAssignedAt, before.FirstResponseAt
	if ch.Assigned && after.FirstAssignedAt.IsZero() {
		after.FirstAssignedAt, firstAssigned = after.AssignedAt, ms(after.AssignedAt)
	}
	res, err := r.exec(`UPDATE chats SET state = ?, operator_id = ?, assigned_at = ?, routing = ?, page_url = ?, page_title = ?, page_referrer = ?,
		visitor_active_at = ?, visitor_left_at = ?, deadline = ?, deadline_reason = ?, ended_at = ?, ended_by = ?, ended_by_operator = ?, end_reason = ?,
		last_seq = ?, first_assigned_at = COALESCE(first_assigned_at, ?), version = version + 1 WHERE id = ? AND version = ?`,
		string(after.State), nullID(after.OperatorID), nullMS(after.AssignedAt), encodeRouting(after.Routing), after.Page.URL, after.Page.Title, after.Page.Referrer,
		ms(after.VisitorActiveAt), nullMS(after.VisitorLeftAt), nullMS(after.Deadline), nullString(string(after.DeadlineReason)),
		nullMS(after.EndedAt), nullString(string(after.EndedBy)), nullID(after.EndedByOperatorID), nullString(string(after.EndReason)),
		after.LastSeq, firstAssigned, before.ID, before.version)
	if err != nil {
		return after, nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return after, nil, errors.Join(err, errChatMoved)
	}
	lines := make([]desk.Message, len(ch.Lines))
	for i, m := range ch.Lines {
		m.ChatID, m.Seq = before.ID, before.LastSeq+int64(i+1)
		if err := insertMessage(r, m); err != nil {
			return after, nil, err
		}
		lines[i] = m
		after.LastMessage = &lines[i]
	}
	if ch.Assigned {
		if _, err := r.exec(`UPDATE operators SET last_assigned_at = ? WHERE id = ?`, ms(after.AssignedAt), after.OperatorID); err != nil {
			return after, nil, err
		}
	}
	return after, lines, nil
}

// chatTx is store.ChatTx inside a ChangeChat transaction.
type chatTx struct {
	s *DB
	r run
	c desk.Chat
}

func (t *chatTx) Chat() desk.Chat { return t.c }

func (t *chatTx) Operator(id int64) (desk.Operator, int, error) {
	var op desk.Operator
	err := t.s.held(func() (err error) {
		op, err = scanOperator(t.r.row(`SELECT `+operatorColumns+` FROM operators WHERE id = ? `+t.s.d.LockRow, id))
		return err
	})
	if err != nil {
		return op, 0, err
	}
	var n int
	err = t.r.row(`SELECT count(*) FROM chats WHERE operator_id = ? AND state = 'active'`, id).Scan(&n)
	return op, n, err
}

func (t *chatTx) Load() ([]desk.Operator, map[int64]int, error) {
	rows, err := t.r.query(`SELECT `+operatorColumns+`, (SELECT count(*) FROM chats c WHERE c.operator_id = o.id AND c.state = 'active')
		FROM operators o WHERE o.site_id = ? ORDER BY o.id`, t.c.SiteID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ops []desk.Operator
	counts := map[int64]int{}
	for rows.Next() {
		var n int
		o, err := scanOperator(withCount{rows, &n})
		if err != nil {
			return nil, nil, err
		}
		ops, counts[o.ID] = append(ops, o), n
	}
	return ops, counts, rows.Err()
}

// withCount scans an operator row followed by one more column.
type withCount struct {
	s scanner
	n *int
}

func (w withCount) Scan(dest ...any) error { return w.s.Scan(append(dest, w.n)...) }
