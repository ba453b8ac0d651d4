-- Private notes on chats (issue 12): operators only, never the visitor's.
-- Apart from messages, so a chat's message seqs stay 1, 2, 3… with no gaps.
CREATE TABLE chat_notes (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats(id),
    operator_id INTEGER NOT NULL REFERENCES operators(id),
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX chat_notes_chat ON chat_notes(chat_id, id);
