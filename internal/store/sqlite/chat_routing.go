package sqlite

import (
	"context"
	"database/sql"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

func (s *Store) Route(ctx context.Context, siteID int64, now time.Time, decide func(store.RoutingState) []store.Routed) ([]desk.Chat, error) {
	var changed []desk.Chat
	err := s.tx(ctx, func(tx *sql.Tx) error {
		st, err := routingState(ctx, tx, siteID)
		if err != nil {
			return err
		}
		var ids []int64
		for _, r := range decide(st) {
			e := r.Decision.Entry(now)
			switch {
			case r.Decision.OperatorID != 0:
				ok, err := assignWithinLimit(ctx, tx, r.ChatID, r.Decision.OperatorID, e, now)
				if err != nil {
					return err
				}
				if ok {
					ids = append(ids, r.ChatID)
				}
			case r.Record:
				if err := appendRouting(ctx, tx, r.ChatID, e); err != nil {
					return err
				}
				ids = append(ids, r.ChatID)
			}
		}
		for _, id := range ids {
			c, err := chatByID(ctx, tx, id)
			if err != nil {
				return err
			}
			changed = append(changed, c)
		}
		return nil
	})
	return changed, err
}

func routingState(ctx context.Context, tx *sql.Tx, siteID int64) (store.RoutingState, error) {
	var st store.RoutingState
	var err error
	if st.Settings, err = settingsOf(ctx, tx, siteID); err != nil {
		return st, err
	}
	if st.Rules, err = actionRulesOf(ctx, tx, siteID); err != nil {
		return st, err
	}
	if st.Operators, err = operatorsOf(ctx, tx, siteID); err != nil {
		return st, err
	}
	if st.Active, err = activeCounts(ctx, tx, siteID); err != nil {
		return st, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, page_url, page_title, page_referrer FROM chats WHERE site_id = ? AND state = 'waiting' ORDER BY id`, siteID)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var q desk.QueuedChat
		if err := rows.Scan(&q.ID, &q.Page.URL, &q.Page.Title, &q.Page.Referrer); err != nil {
			return st, err
		}
		st.Waiting = append(st.Waiting, q)
	}
	return st, rows.Err()
}

// assignWithinLimit is assign for routing decisions: the store itself
// refuses to take an operator past their chat limit, whatever decide said.
func assignWithinLimit(ctx context.Context, tx *sql.Tx, chatID, opID int64, e desk.RoutingEntry, now time.Time) (bool, error) {
	var room bool
	err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM chats WHERE operator_id = ? AND state = 'active') < chat_limit FROM operators WHERE id = ?`,
		opID, opID).Scan(&room)
	if err != nil || !room {
		return false, notFound(err, "operator")
	}
	return assign(ctx, tx, chatID, opID, e, now)
}

func (s *Store) TakeChat(ctx context.Context, chatID int64, op desk.Operator, now time.Time) (desk.Chat, error) {
	var out desk.Chat
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := chatByID(ctx, tx, chatID)
		if err != nil {
			return err
		}
		switch {
		case c.State == desk.ChatEnded:
			return desk.Errorf(desk.CodeEnded, "This chat has ended")
		case c.State == desk.ChatActive && c.OperatorID == op.ID:
			out = c
			return nil
		case c.State == desk.ChatActive:
			return desk.Errorf(desk.CodeTaken, "This chat was already taken by %s", c.OperatorName)
		}
		e := desk.RoutingEntry{At: now, Kind: desk.RoutedTaken, Text: desk.TakenText(op.Name)}
		if _, err := assign(ctx, tx, chatID, op.ID, e, now); err != nil {
			return err
		}
		out, err = chatByID(ctx, tx, chatID)
		return err
	})
	return out, err
}

func (s *Store) TransferChat(ctx context.Context, chatID int64, by, to desk.Operator, now time.Time) (desk.Chat, desk.Message, error) {
	var out desk.Chat
	var line desk.Message
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := chatByID(ctx, tx, chatID)
		if err != nil {
			return err
		}
		switch {
		case c.State == desk.ChatEnded:
			return desk.Errorf(desk.CodeEnded, "This chat has ended")
		case c.State != desk.ChatActive:
			return desk.Errorf(desk.CodeInvalid, "Take this chat before transferring it")
		case c.OperatorID == to.ID:
			return desk.Errorf(desk.CodeInvalid, "The chat is already with %s", to.Name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chats SET operator_id = ?, assigned_at = ? WHERE id = ?`, to.ID, ms(now), chatID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE operators SET last_assigned_at = ? WHERE id = ?`, ms(now), to.ID); err != nil {
			return err
		}
		e := desk.RoutingEntry{At: now, Kind: desk.RoutedTransfer, Text: desk.TransferText(by.Name, to.Name)}
		if err := appendRouting(ctx, tx, chatID, e); err != nil {
			return err
		}
		if line, err = insertMessage(ctx, tx, desk.Message{ChatID: chatID, Author: desk.AuthorSystem, Body: desk.TransferLine(by.Name, to.Name), CreatedAt: now}); err != nil {
			return err
		}
		out, err = chatByID(ctx, tx, chatID)
		return err
	})
	return out, line, err
}

func (s *Store) HandBack(ctx context.Context, operatorID int64, now time.Time) ([]desk.Chat, []desk.Message, error) {
	var chats []desk.Chat
	var lines []desk.Message
	err := s.tx(ctx, func(tx *sql.Tx) error {
		held, err := queryChats(ctx, tx, chatSelect+` WHERE c.operator_id = ? AND c.state = 'active' ORDER BY c.id`, operatorID)
		if err != nil {
			return err
		}
		for _, c := range held {
			if _, err := tx.ExecContext(ctx, `UPDATE chats SET state = 'waiting', operator_id = NULL, assigned_at = NULL WHERE id = ?`, c.ID); err != nil {
				return err
			}
			text := desk.HandedBackText(c.OperatorName)
			if err := appendRouting(ctx, tx, c.ID, desk.RoutingEntry{At: now, Kind: desk.RoutedHandedBack, Text: text}); err != nil {
				return err
			}
			line, err := insertMessage(ctx, tx, desk.Message{ChatID: c.ID, Author: desk.AuthorSystem, Body: text, CreatedAt: now})
			if err != nil {
				return err
			}
			lines = append(lines, line)
			if c, err = chatByID(ctx, tx, c.ID); err != nil {
				return err
			}
			chats = append(chats, c)
		}
		return nil
	})
	return chats, lines, err
}
