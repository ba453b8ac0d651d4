package sqlite

import (
	"context"
	"database/sql"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

func (s *Store) EndChat(ctx context.Context, chatID int64, end store.ChatEnd) (desk.Chat, desk.Message, bool, error) {
	var out desk.Chat
	var line desk.Message
	var ended bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE chats SET state = 'ended', ended_at = ?, ended_by = ?, ended_by_operator = ?, end_reason = ?,
			deadline = NULL, deadline_reason = NULL WHERE id = ? AND state <> 'ended'`, ms(end.At), string(end.By), nullID(end.OperatorID), string(end.Reason), chatID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			ended = true
			if line, err = insertMessage(ctx, tx, desk.Message{ChatID: chatID, Author: desk.AuthorSystem, Body: desk.EndText(end.Reason), CreatedAt: end.At}); err != nil {
				return err
			}
		}
		out, err = chatByID(ctx, tx, chatID)
		return err
	})
	return out, line, ended, err
}

func (s *Store) SetVisitorLeft(ctx context.Context, chatID int64, at, now time.Time, t desk.Timeouts) (desk.Chat, desk.Message, bool, error) {
	var out desk.Chat
	var line desk.Message
	var changed bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := chatByID(ctx, tx, chatID)
		if err != nil {
			return err
		}
		out = c
		if !c.Open() || c.VisitorLeftAt.IsZero() == at.IsZero() {
			return nil
		}
		c.VisitorLeftAt = at
		body := desk.TextVisitorLeft
		if at.IsZero() {
			body = desk.TextVisitorReturned
		}
		deadline, why := desk.Deadline(c, t)
		if _, err := tx.ExecContext(ctx, `UPDATE chats SET visitor_left_at = ?, deadline = ?, deadline_reason = ? WHERE id = ?`,
			nullMS(at), ms(deadline), string(why), chatID); err != nil {
			return err
		}
		if line, err = insertMessage(ctx, tx, desk.Message{ChatID: chatID, Author: desk.AuthorSystem, Body: body, CreatedAt: now}); err != nil {
			return err
		}
		changed = true
		out, err = chatByID(ctx, tx, chatID)
		return err
	})
	return out, line, changed, err
}

func (s *Store) DueChats(ctx context.Context, now time.Time) ([]desk.Chat, error) {
	return queryChats(ctx, s.r, chatSelect+` WHERE c.state <> 'ended' AND c.deadline <= ? ORDER BY c.deadline, c.id`, ms(now))
}

func (s *Store) NextDeadline(ctx context.Context) (time.Time, error) {
	var at sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT min(deadline) FROM chats WHERE state <> 'ended' AND deadline IS NOT NULL`).Scan(&at)
	return fromNullMS(at), err
}
