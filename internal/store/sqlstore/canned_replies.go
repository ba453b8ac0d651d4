package sqlstore

import (
	"context"
	"database/sql"

	"outputdesk/internal/desk"
)

const cannedReplyColumns = `id, site_id, owner_id, shortcut, text, created_at, updated_at`

func scanCannedReply(row scanner) (desk.CannedReply, error) {
	var r desk.CannedReply
	var owner sql.NullInt64
	var created, updated int64
	if err := row.Scan(&r.ID, &r.SiteID, &owner, &r.Shortcut, &r.Text, &created, &updated); err != nil {
		return r, notFound(err, "canned reply")
	}
	r.OwnerID = owner.Int64
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	return r, nil
}

// ownerOf is a reply's owner as the column holds it: NULL when shared, so
// that the shared replies' shortcuts have a unique index of their own.
func ownerOf(r desk.CannedReply) any {
	if r.Shared() {
		return nil
	}
	return r.OwnerID
}

// cannedConflict turns a uniqueness violation into the error a client reads.
func (s *DB) cannedConflict(err error, r desk.CannedReply) error {
	if s.d.IsUnique(err) {
		if r.Shared() {
			return desk.Errorf(desk.CodeConflict, "A shared canned reply already has the shortcut /%s", r.Shortcut)
		}
		return desk.Errorf(desk.CodeConflict, "One of your canned replies already has the shortcut /%s", r.Shortcut)
	}
	return err
}

func (s *DB) CannedReplies(ctx context.Context, siteID, ownerID int64) ([]desk.CannedReply, error) {
	return all(s.read(ctx), scanCannedReply, `SELECT `+cannedReplyColumns+` FROM canned_replies
		WHERE site_id = ? AND (owner_id IS NULL OR owner_id = ?) ORDER BY lower(shortcut), owner_id IS NOT NULL, id`, siteID, ownerID)
}

func (s *DB) CannedReply(ctx context.Context, siteID, id int64) (desk.CannedReply, error) {
	return scanCannedReply(s.read(ctx).row(`SELECT `+cannedReplyColumns+` FROM canned_replies WHERE id = ? AND site_id = ?`, id, siteID))
}

func (s *DB) CreateCannedReply(ctx context.Context, r desk.CannedReply) (desk.CannedReply, error) {
	err := s.write(ctx).row(`INSERT INTO canned_replies (site_id, owner_id, shortcut, text, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, r.SiteID, ownerOf(r), r.Shortcut, r.Text, ms(r.CreatedAt), ms(r.UpdatedAt)).Scan(&r.ID)
	return r, s.cannedConflict(err, r)
}

func (s *DB) UpdateCannedReply(ctx context.Context, r desk.CannedReply) (desk.CannedReply, error) {
	out, err := scanCannedReply(s.write(ctx).row(`UPDATE canned_replies SET shortcut = ?, text = ?, updated_at = ? WHERE id = ? AND site_id = ?
		RETURNING `+cannedReplyColumns, r.Shortcut, r.Text, ms(r.UpdatedAt), r.ID, r.SiteID))
	return out, s.cannedConflict(err, r)
}

func (s *DB) DeleteCannedReply(ctx context.Context, siteID, id int64) error {
	return s.write(ctx).exec1("canned reply", `DELETE FROM canned_replies WHERE id = ? AND site_id = ?`, id, siteID)
}
