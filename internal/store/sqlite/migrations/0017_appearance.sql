-- Settings > Appearance, "Make it ours": the widget's accent colour, the
-- side of its launcher, the panel's title, the greeting of an empty chat,
-- and whether visitors see operators' names. The defaults are the widget
-- as it looked before (desk.DefaultAppearance).
ALTER TABLE sites ADD COLUMN accent_color TEXT NOT NULL DEFAULT '#2357d9';
ALTER TABLE sites ADD COLUMN launcher_position TEXT NOT NULL DEFAULT 'right';
ALTER TABLE sites ADD COLUMN panel_title TEXT NOT NULL DEFAULT 'Chat with us';
ALTER TABLE sites ADD COLUMN greeting TEXT NOT NULL DEFAULT 'Have a question? Write to us and we will answer here.';
ALTER TABLE sites ADD COLUMN operator_names INTEGER NOT NULL DEFAULT 1;
