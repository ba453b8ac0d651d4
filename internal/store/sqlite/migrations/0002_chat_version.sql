-- Every chat update is conditioned on the version it read and bumps it.
ALTER TABLE chats ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
-- Active chats per operator for a site: routing and the console read this
-- index, never the ended chats.
CREATE INDEX chats_active ON chats(site_id, operator_id) WHERE state = 'active';
