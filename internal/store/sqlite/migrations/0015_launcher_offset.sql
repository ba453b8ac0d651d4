-- Settings > Appearance > "Launcher offset": how far above the page's
-- bottom edge the widget's button sits, in pixels, so that it does not
-- cover the page's own bottom controls (on phones most of all).
ALTER TABLE sites ADD COLUMN launcher_offset INTEGER NOT NULL DEFAULT 0;
