-- How far each operator has read each chat (issue 12: unread counts that
-- are right on a new log-in or a second device, and "Seen" in the widget).
-- The key starts with the chat: a chat's "Seen" is the highest of its rows,
-- and a console's positions are read for the chats it shows.
CREATE TABLE read_positions (
    chat_id     BIGINT NOT NULL REFERENCES chats(id),
    operator_id BIGINT NOT NULL REFERENCES operators(id),
    seq         BIGINT NOT NULL,
    read_at     BIGINT NOT NULL,
    PRIMARY KEY (chat_id, operator_id)
);

-- Settings > "Message preview": operators see the visitor's draft as it is
-- typed. Off unless an admin turns it on.
ALTER TABLE sites ADD COLUMN message_preview BIGINT NOT NULL DEFAULT 0;
