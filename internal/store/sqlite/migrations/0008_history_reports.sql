-- History and Reports (issue 12, points 6 and 7) read what they need from
-- the chat row: when it was first assigned and first answered by an
-- operator, set once by the store with the change that does it.
ALTER TABLE chats ADD COLUMN first_assigned_at INTEGER;
ALTER TABLE chats ADD COLUMN first_response_at INTEGER;

-- Backfill the chats already stored: the first routing entry that gave the
-- chat to an operator (or its assigned_at), and the first message an
-- operator typed (a manual invitation's text has no client id: it is not a
-- response).
UPDATE chats SET first_assigned_at = COALESCE(
    (SELECT MIN(json_extract(e.value, '$.at')) FROM json_each(chats.routing) e
      WHERE json_extract(e.value, '$.kind') IN ('action_rule', 'automatic', 'taken', 'invitation', 'transfer')),
    assigned_at);
UPDATE chats SET first_response_at = (SELECT MIN(m.created_at) FROM messages m
    WHERE m.chat_id = chats.id AND m.author = 'operator' AND m.client_id IS NOT NULL);

-- Reports read a period's chats from this index alone (every column they
-- need is in it): no table row, no message.
CREATE INDEX chats_report ON chats(site_id, created_at, first_assigned_at, first_response_at, ended_at, operator_id);
