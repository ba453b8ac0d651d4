package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"outputdesk/internal/desk"
)

// History writes many records at once — visitors, and chats with their
// messages — with the batched multi-row INSERTs Copy uses, for tools that
// fill a store with history (odseed). The records are kept as the Store
// keeps them; their ids are taken above the largest in each table when the
// transaction starts, so nothing else may write visitors or chats
// meanwhile: run it while no server runs on the store.
type History struct {
	visitors, chats, messages *batch
	nextVisitor, nextChat     int64
}

// historyFlushChats is how many chats History queues before writing: with
// their visitors and messages, a few thousand rows per table, most of them
// in full statements.
const historyFlushChats = 5000

var (
	historyVisitorColumns = []string{"id", "site_id", "token_hash", "name", "user_agent", "created_at"}
	historyChatColumns    = []string{"id", "site_id", "visitor_id", "operator_id", "state", "started_by", "invitation_id",
		"page_url", "page_title", "page_referrer", "created_at", "assigned_at", "last_seq", "routing", "visitor_active_at",
		"visitor_left_at", "deadline", "deadline_reason", "ended_at", "ended_by", "ended_by_operator", "end_reason", "version",
		"first_assigned_at", "first_response_at"}
	historyMessageColumns = []string{"chat_id", "seq", "author", "operator_id", "body", "client_id", "created_at"}
)

// WriteHistory runs fn with a History in one write transaction, committed
// if fn returns nil. On PostgreSQL the ids are moved past the rows written,
// so the server's next visitor and chat get fresh ones.
func (s *DB) WriteHistory(ctx context.Context, fn func(h *History) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // after Commit, a no-op
	h := &History{
		visitors: newBatch(ctx, tx, s.d, "visitors", historyVisitorColumns, false),
		chats:    newBatch(ctx, tx, s.d, "chats", historyChatColumns, false),
		messages: newBatch(ctx, tx, s.d, "messages", historyMessageColumns, false),
	}
	defer h.visitors.close()
	defer h.chats.close()
	defer h.messages.close()
	if h.nextVisitor, err = nextID(ctx, tx, "visitors"); err != nil {
		return err
	}
	if h.nextChat, err = nextID(ctx, tx, "chats"); err != nil {
		return err
	}
	if err := fn(h); err != nil {
		return err
	}
	if err := h.flush(); err != nil {
		return err
	}
	if err := resetIDs(ctx, tx, s.d, "visitors", "chats"); err != nil {
		return err
	}
	return tx.Commit()
}

func nextID(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) + 1 FROM `+table).Scan(&id); err != nil {
		return 0, fmt.Errorf("the last id of %s: %w", table, err)
	}
	return id, nil
}

// AddVisitor queues a visitor and returns it with its id.
func (h *History) AddVisitor(v desk.Visitor) (desk.Visitor, error) {
	v.ID = h.nextVisitor
	h.nextVisitor++
	return v, h.visitors.add(v.ID, v.SiteID, v.TokenHash, v.Name, v.UserAgent, ms(v.CreatedAt))
}

// AddChat queues a chat of a visitor added before, and its messages, which
// are numbered in order; it returns the chat with its id and last seq.
func (h *History) AddChat(c desk.Chat, msgs []desk.Message) (desk.Chat, error) {
	c.ID = h.nextChat
	h.nextChat++
	c.LastSeq = int64(len(msgs))
	// recorded as the store records them live: the first assignment, and
	// the first message an operator wrote (not a manual invitation's text)
	firstAssigned, firstResponse := c.FirstAssignedAt, c.FirstResponseAt
	if firstAssigned.IsZero() {
		firstAssigned = c.AssignedAt
	}
	for _, m := range msgs {
		if firstResponse.IsZero() && m.Author == desk.AuthorOperator && m.ClientID != "" {
			firstResponse = m.CreatedAt
		}
	}
	err := h.chats.add(c.ID, c.SiteID, c.VisitorID, nullID(c.OperatorID), string(c.State), string(c.StartedBy), nullID(c.InvitationID),
		c.Page.URL, c.Page.Title, c.Page.Referrer, ms(c.CreatedAt), nullMS(c.AssignedAt), c.LastSeq, encodeRouting(c.Routing), ms(c.VisitorActiveAt),
		nullMS(c.VisitorLeftAt), nullMS(c.Deadline), nullString(string(c.DeadlineReason)), nullMS(c.EndedAt), nullString(string(c.EndedBy)),
		nullID(c.EndedByOperatorID), nullString(string(c.EndReason)), int64(0), nullMS(firstAssigned), nullMS(firstResponse))
	if err != nil {
		return c, err
	}
	for i, m := range msgs {
		// the same encoding as insertMessage
		if err := h.messages.add(c.ID, int64(i+1), string(m.Author), nullID(m.OperatorID), m.Body, nullString(m.ClientID), ms(m.CreatedAt)); err != nil {
			return c, err
		}
	}
	if h.chats.queued() >= historyFlushChats {
		return c, h.flush()
	}
	return c, nil
}

// flush writes what is queued, parents first: messages refer to chats,
// chats to visitors.
func (h *History) flush() error {
	for _, b := range []*batch{h.visitors, h.chats, h.messages} {
		if err := b.flush(); err != nil {
			return err
		}
	}
	return nil
}
