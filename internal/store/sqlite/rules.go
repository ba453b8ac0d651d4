package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
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

func scanActionRule(row interface{ Scan(...any) error }) (desk.ActionRule, error) {
	var r desk.ActionRule
	var conds string
	if err := row.Scan(&r.ID, &r.SiteID, &r.Name, &r.Enabled, &r.Position, &conds, &r.TargetOperatorID); err != nil {
		return r, notFound(err, "rule")
	}
	var cs []conditionJSON
	if err := json.Unmarshal([]byte(conds), &cs); err != nil {
		return r, err
	}
	for _, c := range cs {
		r.Conditions = append(r.Conditions, desk.Condition{Field: desk.Field(c.Field), Op: desk.Op(c.Op), Value: c.Value})
	}
	return r, nil
}

func actionRulesOf(ctx context.Context, q querier, siteID int64) ([]desk.ActionRule, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+actionRuleColumns+` FROM action_rules WHERE site_id = ? ORDER BY position, id`, siteID)
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

func (s *Store) ActionRules(ctx context.Context, siteID int64) ([]desk.ActionRule, error) {
	return actionRulesOf(ctx, s.r, siteID)
}

func (s *Store) CreateActionRule(ctx context.Context, r desk.ActionRule) (desk.ActionRule, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(position), 0) + 1 FROM action_rules WHERE site_id = ?`, r.SiteID).Scan(&r.Position); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO action_rules (site_id, name, enabled, position, conditions, target_operator_id) VALUES (?, ?, ?, ?, ?, ?)`,
			r.SiteID, r.Name, r.Enabled, r.Position, encodeConditions(r.Conditions), r.TargetOperatorID)
		if err != nil {
			return err
		}
		r.ID, err = res.LastInsertId()
		return err
	})
	return r, err
}

func (s *Store) UpdateActionRule(ctx context.Context, r desk.ActionRule) (desk.ActionRule, error) {
	err := s.exec1(ctx, "rule", `UPDATE action_rules SET name = ?, enabled = ?, conditions = ?, target_operator_id = ? WHERE id = ? AND site_id = ?`,
		r.Name, r.Enabled, encodeConditions(r.Conditions), r.TargetOperatorID, r.ID, r.SiteID)
	if err != nil {
		return r, err
	}
	return scanActionRule(s.w.QueryRowContext(ctx, `SELECT `+actionRuleColumns+` FROM action_rules WHERE id = ?`, r.ID))
}

func (s *Store) DeleteActionRule(ctx context.Context, siteID, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var pos int
		if err := tx.QueryRowContext(ctx, `DELETE FROM action_rules WHERE id = ? AND site_id = ? RETURNING position`, id, siteID).Scan(&pos); err != nil {
			return notFound(err, "rule")
		}
		_, err := tx.ExecContext(ctx, `UPDATE action_rules SET position = position - 1 WHERE site_id = ? AND position > ?`, siteID, pos)
		return err
	})
}

func (s *Store) MoveActionRule(ctx context.Context, siteID, id int64, delta int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var pos int
		if err := tx.QueryRowContext(ctx, `SELECT position FROM action_rules WHERE id = ? AND site_id = ?`, id, siteID).Scan(&pos); err != nil {
			return notFound(err, "rule")
		}
		var otherID int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM action_rules WHERE site_id = ? AND position = ?`, siteID, pos+delta).Scan(&otherID)
		if err == sql.ErrNoRows {
			return nil // already first or last
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE action_rules SET position = ? WHERE id = ?`, pos, otherID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE action_rules SET position = ? WHERE id = ?`, pos+delta, id)
		return err
	})
}

const invitationRuleColumns = `id, site_id, name, enabled, url_op, url_value, min_time_on_page_ms, min_pages_viewed, message`

func scanInvitationRule(row interface{ Scan(...any) error }) (desk.InvitationRule, error) {
	var r desk.InvitationRule
	var op, value sql.NullString
	var minTime int64
	if err := row.Scan(&r.ID, &r.SiteID, &r.Name, &r.Enabled, &op, &value, &minTime, &r.MinPagesViewed, &r.Message); err != nil {
		return r, notFound(err, "rule")
	}
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

func (s *Store) InvitationRules(ctx context.Context, siteID int64) ([]desk.InvitationRule, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+invitationRuleColumns+` FROM invitation_rules WHERE site_id = ? ORDER BY id`, siteID)
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

func (s *Store) CreateInvitationRule(ctx context.Context, r desk.InvitationRule) (desk.InvitationRule, error) {
	op, value := urlCondition(r)
	res, err := s.w.ExecContext(ctx, `INSERT INTO invitation_rules (site_id, name, enabled, url_op, url_value, min_time_on_page_ms, min_pages_viewed, message)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.SiteID, r.Name, r.Enabled, op, value, r.MinTimeOnPage.Milliseconds(), r.MinPagesViewed, r.Message)
	if err != nil {
		return r, err
	}
	r.ID, err = res.LastInsertId()
	return r, err
}

func (s *Store) UpdateInvitationRule(ctx context.Context, r desk.InvitationRule) (desk.InvitationRule, error) {
	op, value := urlCondition(r)
	err := s.exec1(ctx, "rule", `UPDATE invitation_rules SET name = ?, enabled = ?, url_op = ?, url_value = ?, min_time_on_page_ms = ?, min_pages_viewed = ?, message = ?
		WHERE id = ? AND site_id = ?`, r.Name, r.Enabled, op, value, r.MinTimeOnPage.Milliseconds(), r.MinPagesViewed, r.Message, r.ID, r.SiteID)
	return r, err
}

func (s *Store) DeleteInvitationRule(ctx context.Context, siteID, id int64) error {
	return s.exec1(ctx, "rule", `DELETE FROM invitation_rules WHERE id = ? AND site_id = ?`, id, siteID)
}
