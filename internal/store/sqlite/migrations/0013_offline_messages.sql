-- "Leave a message" (issue 13): what visitors leave while no operator is
-- Online; "Offline messages" in the console, each marked "Handled".
CREATE TABLE offline_messages (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    visitor_id  INTEGER NOT NULL REFERENCES visitors(id),
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    page_url    TEXT    NOT NULL,
    page_title  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    handled_at  INTEGER,
    handled_by  INTEGER REFERENCES operators(id)
);
CREATE INDEX offline_messages_site ON offline_messages(site_id, id);
