-- A page load has an id (the widget's, per page load): a tab that
-- reconnects on the same page, to this node or another, is the same page
-- view, counted once, with its first start.
ALTER TABLE page_views ADD COLUMN page_id TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX page_views_page ON page_views(visitor_id, visit_id, page_id) WHERE page_id <> '';

-- A node that starts following a visitor reads their latest invitation and
-- the rules that fired for them (store.RecentOf).
CREATE INDEX invitations_visitor ON invitations(visitor_id, id);
