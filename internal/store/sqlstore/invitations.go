package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"outputdesk/internal/desk"
)

const invitationSelect = `SELECT i.id, i.site_id, i.visitor_id, i.kind, COALESCE(i.operator_id, 0), COALESCE(o.name, ''), COALESCE(i.rule_id, 0),
	i.text, i.state, i.created_at, i.closed_at FROM invitations i LEFT JOIN operators o ON o.id = i.operator_id`

func scanInvitation(row scanner) (desk.Invitation, error) {
	var inv desk.Invitation
	var kind, state string
	var created int64
	var closed sql.NullInt64
	err := row.Scan(&inv.ID, &inv.SiteID, &inv.VisitorID, &kind, &inv.OperatorID, &inv.OperatorName, &inv.RuleID, &inv.Text, &state, &created, &closed)
	inv.Kind, inv.State = desk.InvitationKind(kind), desk.InvitationState(state)
	inv.CreatedAt, inv.ClosedAt = fromMS(created), fromNullMS(closed)
	return inv, notFound(err, "invitation")
}

func (s *DB) CreateInvitation(ctx context.Context, inv desk.Invitation) (desk.Invitation, error) {
	w := s.write(ctx)
	var id int64
	err := w.row(`INSERT INTO invitations (site_id, visitor_id, kind, operator_id, rule_id, text, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?) RETURNING id`,
		inv.SiteID, inv.VisitorID, string(inv.Kind), nullID(inv.OperatorID), nullID(inv.RuleID), inv.Text, ms(inv.CreatedAt)).Scan(&id)
	if s.d.IsUnique(err) {
		return inv, desk.Errorf(desk.CodeConflict, "The visitor already has an open invitation")
	}
	if err != nil {
		return inv, err
	}
	return scanInvitation(w.row(invitationSelect+` WHERE i.id = ?`, id))
}

func (s *DB) Invitation(ctx context.Context, id int64) (desk.Invitation, error) {
	return scanInvitation(s.read(ctx).row(invitationSelect+` WHERE i.id = ?`, id))
}

func (s *DB) OpenInvitationOf(ctx context.Context, visitorID int64) (desk.Invitation, error) {
	return scanInvitation(s.read(ctx).row(invitationSelect+` WHERE i.visitor_id = ? AND i.state = 'open'`, visitorID))
}

func (s *DB) CloseInvitation(ctx context.Context, id int64, state desk.InvitationState, at time.Time) (desk.Invitation, bool, error) {
	var out desk.Invitation
	var changed bool
	err := s.tx(ctx, func(r run) error {
		res, err := r.exec(`UPDATE invitations SET state = ?, closed_at = ? WHERE id = ? AND state = 'open'`, string(state), ms(at), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		changed = n == 1
		if err != nil {
			return err
		}
		out, err = scanInvitation(r.row(invitationSelect+` WHERE i.id = ?`, id))
		return err
	})
	return out, changed, err
}
