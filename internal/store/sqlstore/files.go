package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"outputdesk/internal/desk"
)

// insertFile stores the bytes of a file a message sends, in the
// message's transaction: a message that is not stored leaves no file.
func insertFile(r run, f *desk.File) error {
	return r.row(`INSERT INTO files (site_id, chat_id, name, type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		f.SiteID, f.ChatID, f.Name, f.Type, int64(len(f.Data)), f.Data, ms(f.CreatedAt)).Scan(&f.ID)
}

func (s *DB) File(ctx context.Context, id int64) (desk.File, error) {
	var f desk.File
	var created int64
	err := s.read(ctx).row(`SELECT id, site_id, chat_id, name, type, size, data, created_at FROM files WHERE id = ?`, id).
		Scan(&f.ID, &f.SiteID, &f.ChatID, &f.Name, &f.Type, &f.Size, &f.Data, &created)
	f.CreatedAt = fromMS(created)
	return f, notFound(err, "file")
}

// fileSettingsOf reads "Largest file" and "Allowed file types"; NULL is
// the default (zero and nil in desk.Settings).
func fileSettingsOf(r run, siteID int64, set *desk.Settings) error {
	var limit sql.NullInt64
	var types sql.NullString
	if err := r.row(`SELECT max_file_bytes, file_types FROM sites WHERE id = ?`, siteID).Scan(&limit, &types); err != nil {
		return notFound(err, "site")
	}
	set.MaxFileBytes = limit.Int64
	if types.Valid {
		set.FileTypes = []string{}
		return json.Unmarshal([]byte(types.String), &set.FileTypes)
	}
	return nil
}

func saveFileSettings(r run, siteID int64, set desk.Settings) error {
	var types any
	if set.FileTypes != nil {
		b, err := json.Marshal(set.FileTypes)
		if err != nil {
			return err
		}
		types = string(b)
	}
	var limit any
	if set.MaxFileBytes != 0 {
		limit = set.MaxFileBytes
	}
	return r.exec1("site", `UPDATE sites SET max_file_bytes = ?, file_types = ? WHERE id = ?`, limit, types, siteID)
}
