-- Each operator's notification preferences (sound, browser notifications,
-- the count in the tab title, and which events alert), kept on the server
-- so they follow the operator to every browser. No row: the defaults
-- (desk.DefaultPreferences). Booleans are 0 or 1, as elsewhere.
CREATE TABLE operator_preferences (
    operator_id           BIGINT PRIMARY KEY REFERENCES operators(id),
    sound                 BIGINT NOT NULL,
    browser_notifications BIGINT NOT NULL,
    title_count           BIGINT NOT NULL,
    notify_new_ticket     BIGINT NOT NULL,
    notify_assigned       BIGINT NOT NULL,
    notify_message        BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
