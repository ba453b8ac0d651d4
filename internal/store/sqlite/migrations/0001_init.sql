-- Output Desk schema, SQLite dialect. Times are Unix milliseconds.

CREATE TABLE sites (
    id                    INTEGER PRIMARY KEY,
    key                   TEXT    NOT NULL UNIQUE,
    name                  TEXT    NOT NULL,
    allowed_origins       TEXT    NOT NULL,          -- JSON array
    chat_rule             TEXT    NOT NULL,
    invitation_text       TEXT    NOT NULL,
    inactivity_timeout_ms INTEGER NOT NULL,
    left_timeout_ms       INTEGER NOT NULL,
    created_at            INTEGER NOT NULL
);

CREATE TABLE operators (
    id               INTEGER PRIMARY KEY,
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    name             TEXT    NOT NULL,
    email            TEXT    NOT NULL UNIQUE,
    password_hash    TEXT    NOT NULL,
    role             TEXT    NOT NULL,
    priority_level   INTEGER NOT NULL,
    chat_limit       INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    last_assigned_at INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    operator_id INTEGER NOT NULL REFERENCES operators(id),
    csrf_token  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE TABLE visitors (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites(id),
    token_hash TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    user_agent TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE page_views (
    id         INTEGER PRIMARY KEY,
    visitor_id INTEGER NOT NULL REFERENCES visitors(id),
    visit_id   TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    referrer   TEXT    NOT NULL,
    started_at INTEGER NOT NULL
);
CREATE INDEX page_views_visit ON page_views(visitor_id, visit_id, id);

CREATE TABLE chats (
    id                INTEGER PRIMARY KEY,
    site_id           INTEGER NOT NULL REFERENCES sites(id),
    visitor_id        INTEGER NOT NULL REFERENCES visitors(id),
    operator_id       INTEGER REFERENCES operators(id),
    state             TEXT    NOT NULL,
    started_by        TEXT    NOT NULL,
    invitation_id     INTEGER,
    page_url          TEXT    NOT NULL,
    page_title        TEXT    NOT NULL,
    page_referrer     TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    assigned_at       INTEGER,
    last_seq          INTEGER NOT NULL DEFAULT 0,
    routing           TEXT    NOT NULL DEFAULT '[]', -- JSON array of decisions
    visitor_active_at INTEGER NOT NULL,
    visitor_left_at   INTEGER,
    deadline          INTEGER,
    deadline_reason   TEXT,
    ended_at          INTEGER,
    ended_by          TEXT,
    ended_by_operator INTEGER REFERENCES operators(id),
    end_reason        TEXT
);
-- A visitor has at most one open chat: the database says so, not only the code.
CREATE UNIQUE INDEX chats_one_open_per_visitor ON chats(visitor_id) WHERE state <> 'ended';
CREATE INDEX chats_waiting ON chats(site_id, id) WHERE state = 'waiting';
CREATE INDEX chats_active_operator ON chats(operator_id) WHERE state = 'active';
CREATE INDEX chats_deadline ON chats(deadline) WHERE state <> 'ended';
CREATE INDEX chats_site ON chats(site_id, id);
CREATE INDEX chats_visitor ON chats(visitor_id, id);

CREATE TABLE messages (
    chat_id     INTEGER NOT NULL REFERENCES chats(id),
    seq         INTEGER NOT NULL,
    author      TEXT    NOT NULL,
    operator_id INTEGER REFERENCES operators(id),
    body        TEXT    NOT NULL,
    client_id   TEXT,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (chat_id, seq)
);
-- A retried send is stored once.
CREATE UNIQUE INDEX messages_client_id ON messages(chat_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE action_rules (
    id                 INTEGER PRIMARY KEY,
    site_id            INTEGER NOT NULL REFERENCES sites(id),
    name               TEXT    NOT NULL,
    enabled            INTEGER NOT NULL,
    position           INTEGER NOT NULL,
    conditions         TEXT    NOT NULL, -- JSON array
    target_operator_id INTEGER NOT NULL REFERENCES operators(id)
);

CREATE TABLE invitation_rules (
    id                  INTEGER PRIMARY KEY,
    site_id             INTEGER NOT NULL REFERENCES sites(id),
    name                TEXT    NOT NULL,
    enabled             INTEGER NOT NULL,
    url_op              TEXT,
    url_value           TEXT,
    min_time_on_page_ms INTEGER NOT NULL,
    min_pages_viewed    INTEGER NOT NULL,
    message             TEXT    NOT NULL
);

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites(id),
    visitor_id  INTEGER NOT NULL REFERENCES visitors(id),
    kind        TEXT    NOT NULL,
    operator_id INTEGER REFERENCES operators(id),
    rule_id     INTEGER,
    text        TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER
);
CREATE UNIQUE INDEX invitations_one_open ON invitations(visitor_id) WHERE state = 'open';
