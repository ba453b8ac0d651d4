-- The queue is served in the order chats were written: by created_at,
-- stamped in the transaction that writes the row, then id.
DROP INDEX chats_waiting;
CREATE INDEX chats_waiting ON chats(site_id, created_at, id) WHERE state = 'waiting';
