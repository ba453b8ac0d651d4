package protocol

import "outputdesk/internal/desk"

// Appearance is Settings > Appearance as the widget shows it ("Make it
// ours"): members of Settings and of the visitor's welcome.
type Appearance struct {
	AccentColor       string `json:"accent_color"`
	LauncherPosition  string `json:"launcher_position"`
	PanelTitle        string `json:"panel_title"`
	Greeting          string `json:"greeting"`
	ShowOperatorNames bool   `json:"show_operator_names"`
}

func AppearanceOf(a desk.Appearance) Appearance {
	return Appearance{AccentColor: a.AccentColor, LauncherPosition: string(a.LauncherPosition), PanelTitle: a.Title, Greeting: a.Greeting, ShowOperatorNames: a.OperatorNames}
}

// AppearancePatch is the appearance members of PATCH /api/settings.
type AppearancePatch struct {
	AccentColor       *string `json:"accent_color"`
	LauncherPosition  *string `json:"launcher_position"`
	PanelTitle        *string `json:"panel_title"`
	Greeting          *string `json:"greeting"`
	ShowOperatorNames *bool   `json:"show_operator_names"`
}

// Change is the patch as desk reads it.
func (p AppearancePatch) Change() desk.AppearanceChange {
	return desk.AppearanceChange{AccentColor: p.AccentColor, LauncherPosition: p.LauncherPosition, Title: p.PanelTitle, Greeting: p.Greeting, OperatorNames: p.ShowOperatorNames}
}
