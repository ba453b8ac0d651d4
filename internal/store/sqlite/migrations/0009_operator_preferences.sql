-- Each operator's notification preferences (sound, browser notifications,
-- the count in the tab title, and which events alert), kept on the server
-- so they follow the operator to every browser. No row: the defaults
-- (desk.DefaultPreferences). Booleans are 0 or 1.
CREATE TABLE operator_preferences (
    operator_id           INTEGER PRIMARY KEY REFERENCES operators(id),
    sound                 INTEGER NOT NULL,
    browser_notifications INTEGER NOT NULL,
    title_count           INTEGER NOT NULL,
    notify_new_ticket     INTEGER NOT NULL,
    notify_assigned       INTEGER NOT NULL,
    notify_message        INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
