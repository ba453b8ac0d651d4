-- History and Reports (issue 12, points 6 and 7) read what they need from
-- the chat row: when it was first assigned and first answered by an
-- operator, set once by the store with the change that does it.
ALTER TABLE chats ADD COLUMN first_assigned_at BIGINT, ADD COLUMN first_response_at BIGINT;

-- Backfill the chats already stored: the first routing entry that gave the
-- chat to an operator (or its assigned_at), and the first message an
-- operator typed (a manual invitation's text has no client id: it is not a
-- response).
UPDATE chats c SET
    first_assigned_at = COALESCE(
        (SELECT MIN((e->>'at')::BIGINT) FROM jsonb_array_elements(c.routing::jsonb) e
          WHERE e->>'kind' IN ('action_rule', 'automatic', 'taken', 'invitation', 'transfer')),
        c.assigned_at),
    first_response_at = (SELECT MIN(m.created_at) FROM messages m
        WHERE m.chat_id = c.id AND m.author = 'operator' AND m.client_id IS NOT NULL);

-- Reports read a period's chats from this index alone (an index-only
-- scan: every column they need is in it): no message.
CREATE INDEX chats_report ON chats(site_id, created_at) INCLUDE (first_assigned_at, first_response_at, ended_at, operator_id);
