package sqlite

import (
	"context"
	"database/sql"
	"time"

	"outputdesk/internal/desk"
)

const invitationSelect = `SELECT i.id, i.site_id, i.visitor_id, i.kind, COALESCE(i.operator_id, 0), COALESCE(o.name, ''), COALESCE(i.rule_id, 0),
	i.text, i.state, i.created_at, i.closed_at FROM invitations i LEFT JOIN operators o ON o.id = i.operator_id`

func scanInvitation(row interface{ Scan(...any) error }) (desk.Invitation, error) {
	var inv desk.Invitation
	var kind, state string
	var created int64
	var closed sql.NullInt64
	err := row.Scan(&inv.ID, &inv.SiteID, &inv.VisitorID, &kind, &inv.OperatorID, &inv.OperatorName, &inv.RuleID, &inv.Text, &state, &created, &closed)
	inv.Kind, inv.State = desk.InvitationKind(kind), desk.InvitationState(state)
	inv.CreatedAt, inv.ClosedAt = fromMS(created), fromNullMS(closed)
	return inv, notFound(err, "invitation")
}

func (s *Store) CreateInvitation(ctx context.Context, inv desk.Invitation) (desk.Invitation, error) {
	res, err := s.w.ExecContext(ctx, `INSERT INTO invitations (site_id, visitor_id, kind, operator_id, rule_id, text, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)`,
		inv.SiteID, inv.VisitorID, string(inv.Kind), nullID(inv.OperatorID), nullID(inv.RuleID), inv.Text, ms(inv.CreatedAt))
	if isUnique(err) {
		return inv, desk.Errorf(desk.CodeConflict, "The visitor already has an open invitation")
	}
	if err != nil {
		return inv, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return inv, err
	}
	return scanInvitation(s.w.QueryRowContext(ctx, invitationSelect+` WHERE i.id = ?`, id))
}

func (s *Store) Invitation(ctx context.Context, id int64) (desk.Invitation, error) {
	return scanInvitation(s.r.QueryRowContext(ctx, invitationSelect+` WHERE i.id = ?`, id))
}

func (s *Store) OpenInvitationOf(ctx context.Context, visitorID int64) (desk.Invitation, error) {
	return scanInvitation(s.r.QueryRowContext(ctx, invitationSelect+` WHERE i.visitor_id = ? AND i.state = 'open'`, visitorID))
}

func (s *Store) CloseInvitation(ctx context.Context, id int64, state desk.InvitationState, at time.Time) (desk.Invitation, bool, error) {
	var out desk.Invitation
	var changed bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET state = ?, closed_at = ? WHERE id = ? AND state = 'open'`, string(state), ms(at), id)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		changed = n == 1
		out, err = scanInvitation(tx.QueryRowContext(ctx, invitationSelect+` WHERE i.id = ?`, id))
		return err
	})
	return out, changed, err
}
