package sqlstore

import "outputdesk/internal/desk"

// The appearance columns of sites (Settings > Appearance, "Make it
// ours"), read and written beside the other settings, in their own
// statements.

func appearanceOf(r run, siteID int64) (desk.Appearance, error) {
	var a desk.Appearance
	var pos string
	var names int64
	err := r.row(`SELECT accent_color, launcher_position, panel_title, greeting, operator_names FROM sites WHERE id = ?`, siteID).
		Scan(&a.AccentColor, &pos, &a.Title, &a.Greeting, &names)
	a.LauncherPosition, a.OperatorNames = desk.LauncherPosition(pos), names != 0
	return a, notFound(err, "site")
}

func saveAppearance(r run, siteID int64, a desk.Appearance) error {
	return r.exec1("site", `UPDATE sites SET accent_color = ?, launcher_position = ?, panel_title = ?, greeting = ?, operator_names = ? WHERE id = ?`,
		a.AccentColor, string(a.LauncherPosition), a.Title, a.Greeting, b2i(a.OperatorNames), siteID)
}
