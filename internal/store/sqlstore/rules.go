package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"outputdesk/internal/desk"
)

type conditionJSON struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	Value string `json:"value"`
}

func encodeConditions(cs []desk.Condition) string {
	out := make([]conditionJSON, len(cs))
	for i, c := range cs {
		out[i] = conditionJSON{string(c.Field), string(c.Op), c.Value}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

const actionRuleColumns = `id, site_id, name, enabled, position, conditions, target_operator_id`

func scanActionRule(row scanner) (desk.ActionRule, error) {
	var r desk.ActionRule
	var conds string
	var enabled int64
	if err := row.Scan(&r.ID, &r.SiteID, &r.Name, &enabled, &r.Position, &conds, &r.TargetOperatorID); err != nil {
		return r, notFound(err, "rule")
	}
	r.Enabled = enabled != 0
	var cs []conditionJSON
	if err := json.Unmarshal([]byte(conds), &cs); err != nil {
		return r, err
	}
	for _, c := range cs {
		r.Conditions = append(r.Conditions, desk.Condition{Field: desk.Field(c.Field), Op: desk.Op(c.Op), Value: c.Value})
	}
	return r, nil
}

func (s *DB) ActionRules(ctx context.Context, siteID int64) ([]desk.ActionRule, error) {
	rows, err := s.read(ctx).query(`SELECT `+actionRuleColumns+` FROM action_rules WHERE site_id = ? ORDER BY position, id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.ActionRule
	for rows.Next() {
		r, err := scanActionRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// lockRules holds the site's rule order: rules are created, deleted and
// moved one at a time per site.
func lockRules(r run, siteID int64) error {
	_, err := r.exec(`UPDATE sites SET name = name WHERE id = ?`, siteID)
	return err
}

func (s *DB) CreateActionRule(ctx context.Context, ar desk.ActionRule) (desk.ActionRule, error) {
	err := s.tx(ctx, func(r run) error {
		if err := lockRules(r, ar.SiteID); err != nil {
			return err
		}
		if err := r.row(`SELECT COALESCE(max(position), 0) + 1 FROM action_rules WHERE site_id = ?`, ar.SiteID).Scan(&ar.Position); err != nil {
			return err
		}
		return r.row(`INSERT INTO action_rules (site_id, name, enabled, position, conditions, target_operator_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			ar.SiteID, ar.Name, b2i(ar.Enabled), ar.Position, encodeConditions(ar.Conditions), ar.TargetOperatorID).Scan(&ar.ID)
	})
	return ar, err
}

func (s *DB) UpdateActionRule(ctx context.Context, ar desk.ActionRule) (desk.ActionRule, error) {
	return scanActionRule(s.write(ctx).row(`UPDATE action_rules SET name = ?, enabled = ?, conditions = ?, target_operator_id = ? WHERE id = ? AND site_id = ?
		RETURNING `+actionRuleColumns, ar.Name, b2i(ar.Enabled), encodeConditions(ar.Conditions), ar.TargetOperatorID, ar.ID, ar.SiteID))
}

func (s *DB) DeleteActionRule(ctx context.Context, siteID, id int64) error {
	return s.tx(ctx, func(r run) error {
		if err := lockRules(r, siteID); err != nil {
			return err
		}
		var pos int
		if err := r.row(`DELETE FROM action_rules WHERE id = ? AND site_id = ? RETURNING position`, id, siteID).Scan(&pos); err != nil {
			return notFound(err, "rule")
		}
		_, err := r.exec(`UPDATE action_rules SET position = position - 1 WHERE site_id = ? AND position > ?`, siteID, pos)
		return err
	})
}

func (s *DB) MoveActionRule(ctx context.Context, siteID, id int64, delta int) error {
	return s.tx(ctx, func(r run) error {
		if err := lockRules(r, siteID); err != nil {
			return err
		}
		var pos int
		if err := r.row(`SELECT position FROM action_rules WHERE id = ? AND site_id = ?`, id, siteID).Scan(&pos); err != nil {
			return notFound(err, "rule")
		}
		var otherID int64
		err := r.row(`SELECT id FROM action_rules WHERE site_id = ? AND position = ?`, siteID, pos+delta).Scan(&otherID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // already first or last
		} else if err != nil {
			return err
		}
		if _, err := r.exec(`UPDATE action_rules SET position = ? WHERE id = ?`, pos, otherID); err != nil {
			return err
		}
		_, err = r.exec(`UPDATE action_rules SET position = ? WHERE id = ?`, pos+delta, id)
		return err
	})
}

const invitationRuleColumns = `id, site_id, name, enabled, url_op, url_value, min_time_on_page_ms, min_pages_viewed, message`

func scanInvitationRule(row scanner) (desk.InvitationRule, error) {
	var r desk.InvitationRule
	var op, value sql.NullString
	var minTime, enabled int64
	if err := row.Scan(&r.ID, &r.SiteID, &r.Name, &enabled, &op, &value, &minTime, &r.MinPagesViewed, &r.Message); err != nil {
		return r, notFound(err, "rule")
	}
	r.Enabled = enabled != 0
	if op.Valid {
		r.URL = &desk.Condition{Field: desk.FieldURL, Op: desk.Op(op.String), Value: value.String}
	}
	r.MinTimeOnPage = time.Duration(minTime) * time.Millisecond
	return r, nil
}

func urlCondition(r desk.InvitationRule) (op, value any) {
	if r.URL == nil {
		return nil, nil
	}
	return string(r.URL.Op), r.URL.Value
}

func (s *DB) InvitationRules(ctx context.Context, siteID int64) ([]desk.InvitationRule, error) {
	rows, err := s.read(ctx).query(`SELECT `+invitationRuleColumns+` FROM invitation_rules WHERE site_id = ? ORDER BY id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.InvitationRule
	for rows.Next() {
		r, err := scanInvitationRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *DB) CreateInvitationRule(ctx context.Context, ir desk.InvitationRule) (desk.InvitationRule, error) {
	op, value := urlCondition(ir)
	err := s.write(ctx).row(`INSERT INTO invitation_rules (site_id, name, enabled, url_op, url_value, min_time_on_page_ms, min_pages_viewed, message)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, ir.SiteID, ir.Name, b2i(ir.Enabled), op, value, ir.MinTimeOnPage.Milliseconds(), ir.MinPagesViewed, ir.Message).Scan(&ir.ID)
	return ir, err
}

func (s *DB) UpdateInvitationRule(ctx context.Context, ir desk.InvitationRule) (desk.InvitationRule, error) {
	op, value := urlCondition(ir)
	err := s.write(ctx).exec1("rule", `UPDATE invitation_rules SET name = ?, enabled = ?, url_op = ?, url_value = ?, min_time_on_page_ms = ?, min_pages_viewed = ?, message = ?
		WHERE id = ? AND site_id = ?`, ir.Name, b2i(ir.Enabled), op, value, ir.MinTimeOnPage.Milliseconds(), ir.MinPagesViewed, ir.Message, ir.ID, ir.SiteID)
	return ir, err
}

func (s *DB) DeleteInvitationRule(ctx context.Context, siteID, id int64) error {
	return s.write(ctx).exec1("rule", `DELETE FROM invitation_rules WHERE id = ? AND site_id = ?`, id, siteID)
}
