package sqlstore

import (
	"context"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

func (s *DB) CreateChat(ctx context.Context, n store.NewChat) (desk.Chat, []desk.Message, error) {
	var c desk.Chat
	var msgs []desk.Message
	err := s.tx(ctx, func(r run) error {
		// stamped now, inside the transaction that writes the row
		c, msgs = n.Build()
		if n.AcceptInvitation != 0 {
			res, err := r.exec(`UPDATE invitations SET state = 'accepted', closed_at = ? WHERE id = ? AND visitor_id = ? AND state = 'open'`,
				ms(c.CreatedAt), n.AcceptInvitation, c.VisitorID)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil || k == 0 {
				return firstErr(err, desk.Errorf(desk.CodeConflict, "The invitation is no longer open"))
			}
		}
		c.LastSeq, c.Version = int64(len(msgs)), 0
		c.FirstAssignedAt = c.AssignedAt // a manual invitation's chat starts assigned
		err := r.row(`INSERT INTO chats (site_id, visitor_id, operator_id, state, started_by, invitation_id, page_url, page_title, page_referrer,
			created_at, assigned_at, first_assigned_at, last_seq, routing, visitor_active_at, visitor_left_at, deadline, deadline_reason, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) RETURNING id`,
			c.SiteID, c.VisitorID, nullID(c.OperatorID), string(c.State), string(c.StartedBy), nullID(c.InvitationID), c.Page.URL, c.Page.Title, c.Page.Referrer,
			ms(c.CreatedAt), nullMS(c.AssignedAt), nullMS(c.AssignedAt), c.LastSeq, encodeRouting(c.Routing), ms(c.VisitorActiveAt), nullMS(c.VisitorLeftAt),
			nullMS(c.Deadline), nullString(string(c.DeadlineReason))).Scan(&c.ID)
		if s.d.IsUnique(err) {
			return desk.Errorf(desk.CodeConflict, "The visitor already has an open chat")
		}
		if err != nil {
			return err
		}
		if c.OperatorID != 0 {
			if _, err := r.exec(`UPDATE operators SET last_assigned_at = ? WHERE id = ?`, ms(c.AssignedAt), c.OperatorID); err != nil {
				return err
			}
		}
		for i := range msgs {
			msgs[i].ChatID, msgs[i].Seq = c.ID, int64(i+1)
			if err := insertMessage(r, msgs[i]); err != nil {
				return err
			}
		}
		if n := len(msgs); n > 0 {
			last := msgs[n-1]
			c.LastMessage = &last
		}
		return nil
	})
	if err != nil {
		return desk.Chat{}, nil, err
	}
	return c, msgs, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
