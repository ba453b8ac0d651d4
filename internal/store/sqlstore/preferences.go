package sqlstore

import (
	"context"
	"time"

	"outputdesk/internal/desk"
)

const preferencesColumns = `operator_id, sound, browser_notifications, title_count, notify_new_ticket, notify_assigned, notify_message, updated_at`

func scanPreferences(row scanner) (desk.Preferences, error) {
	var p desk.Preferences
	var b [6]int64
	var updated int64
	if err := row.Scan(&p.OperatorID, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &updated); err != nil {
		return p, notFound(err, "preferences")
	}
	p.Sound, p.BrowserNotifications, p.TitleCount = b[0] != 0, b[1] != 0, b[2] != 0
	p.NewTicket, p.Assigned, p.Message = b[3] != 0, b[4] != 0, b[5] != 0
	p.UpdatedAt = fromMS(updated)
	return p, nil
}

func (s *DB) Preferences(ctx context.Context, operatorID int64) (desk.Preferences, error) {
	return scanPreferences(s.read(ctx).row(`SELECT `+preferencesColumns+` FROM operator_preferences WHERE operator_id = ?`, operatorID))
}

// ChangePreferences inserts the changed defaults, or, when the operator
// has a row, sets only the members the change names (COALESCE keeps the
// others), so that concurrent changes of different members never undo
// each other.
func (s *DB) ChangePreferences(ctx context.Context, base desk.Preferences, c desk.PreferencesChange, at time.Time) (desk.Preferences, error) {
	p := c.Apply(base)
	return scanPreferences(s.write(ctx).row(`INSERT INTO operator_preferences (`+preferencesColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (operator_id) DO UPDATE SET
			sound = COALESCE(?, operator_preferences.sound),
			browser_notifications = COALESCE(?, operator_preferences.browser_notifications),
			title_count = COALESCE(?, operator_preferences.title_count),
			notify_new_ticket = COALESCE(?, operator_preferences.notify_new_ticket),
			notify_assigned = COALESCE(?, operator_preferences.notify_assigned),
			notify_message = COALESCE(?, operator_preferences.notify_message),
			updated_at = excluded.updated_at
		RETURNING `+preferencesColumns,
		base.OperatorID, b2i(p.Sound), b2i(p.BrowserNotifications), b2i(p.TitleCount), b2i(p.NewTicket), b2i(p.Assigned), b2i(p.Message), ms(at),
		maybeBit(c.Sound), maybeBit(c.BrowserNotifications), maybeBit(c.TitleCount), maybeBit(c.NewTicket), maybeBit(c.Assigned), maybeBit(c.Message)))
}

// maybeBit is a boolean to set, or NULL to keep the column.
func maybeBit(b *bool) any {
	if b == nil {
		return nil
	}
	return b2i(*b)
}
