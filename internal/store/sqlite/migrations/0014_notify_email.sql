-- Settings: the address each offline message is mailed to ("" : none).
ALTER TABLE sites ADD COLUMN notify_email TEXT NOT NULL DEFAULT '';
