-- A visitor's email, as they gave it (OutputDesk.identify, the pre-chat
-- form); "" until they do.
ALTER TABLE visitors ADD COLUMN email TEXT NOT NULL DEFAULT '';
