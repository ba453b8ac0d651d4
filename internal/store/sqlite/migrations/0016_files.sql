-- Files and images in chats (issue 13, point 3). The bytes are in the
-- database, so every node serves every file and a backup holds them. A
-- file belongs to the message that sent it (messages.file_id).
CREATE TABLE files (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    chat_id     INTEGER NOT NULL REFERENCES chats(id),
    name        TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX files_chat ON files(chat_id);
ALTER TABLE messages ADD COLUMN file_id INTEGER REFERENCES files(id);
-- Settings: "Largest file" in bytes and "Allowed file types" (a JSON list
-- of MIME types); NULL is the default (10 MB; every type the server knows).
ALTER TABLE sites ADD COLUMN max_file_bytes INTEGER;
ALTER TABLE sites ADD COLUMN file_types TEXT;
