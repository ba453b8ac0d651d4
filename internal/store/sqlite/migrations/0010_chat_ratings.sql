-- "Rate this chat" (issue 13): the visitor's rating of an ended chat, one
-- per chat (rating again replaces it).
CREATE TABLE chat_ratings (
    chat_id    INTEGER PRIMARY KEY REFERENCES chats(id),
    value      TEXT    NOT NULL,
    comment    TEXT    NOT NULL,
    rated_at   INTEGER NOT NULL
);
