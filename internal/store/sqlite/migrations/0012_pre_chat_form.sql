-- Settings > Appearance > "Pre-chat form": name, email and first question,
-- each 'off', 'optional' or 'required'.
ALTER TABLE sites ADD COLUMN prechat_name TEXT NOT NULL DEFAULT 'off';
ALTER TABLE sites ADD COLUMN prechat_email TEXT NOT NULL DEFAULT 'off';
ALTER TABLE sites ADD COLUMN prechat_question TEXT NOT NULL DEFAULT 'off';
