-- Canned replies: shared ones (owner_id NULL, the admins') and each
-- operator's personal ones. A shortcut is unique, regardless of case,
-- among the shared replies and among each operator's own.
CREATE TABLE canned_replies (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites(id),
    owner_id   INTEGER REFERENCES operators(id),
    shortcut   TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX canned_replies_shared ON canned_replies(site_id, lower(shortcut)) WHERE owner_id IS NULL;
CREATE UNIQUE INDEX canned_replies_personal ON canned_replies(site_id, owner_id, lower(shortcut)) WHERE owner_id IS NOT NULL;
