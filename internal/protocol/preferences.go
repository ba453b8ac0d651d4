package protocol

import (
	"bytes"
	"encoding/json"
	"reflect"

	"outputdesk/internal/desk"
)

// Preferences are an operator's notification preferences as GET and PATCH
// /api/me/preferences answer them.
type Preferences struct {
	Sound                bool     `json:"sound"`
	BrowserNotifications bool     `json:"browser_notifications"`
	TitleCount           bool     `json:"title_count"`
	Events               []string `json:"events"`
	UpdatedAt            *Time    `json:"updated_at"` // null while they are the defaults
}

func PreferencesOf(p desk.Preferences) Preferences {
	out := Preferences{Sound: p.Sound, BrowserNotifications: p.BrowserNotifications, TitleCount: p.TitleCount, Events: []string{}}
	for _, e := range p.Events() {
		out.Events = append(out.Events, string(e))
	}
	if !p.UpdatedAt.IsZero() {
		t := Time(p.UpdatedAt)
		out.UpdatedAt = &t
	}
	return out
}

// PreferencesPatch is the body of PATCH /api/me/preferences: any subset of
// the members; a member given as null is refused (bad_request), as a
// wrong type is, rather than read as "left out".
type PreferencesPatch struct {
	Sound                *bool     `json:"sound"`
	BrowserNotifications *bool     `json:"browser_notifications"`
	TitleCount           *bool     `json:"title_count"`
	Events               *[]string `json:"events"`
}

func (p *PreferencesPatch) UnmarshalJSON(b []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return err
	}
	for _, name := range []string{"sound", "browser_notifications", "title_count", "events"} {
		if v, ok := members[name]; ok && bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return &json.UnmarshalTypeError{Value: "null", Field: name, Type: reflect.TypeOf(members[name])}
		}
	}
	type plain PreferencesPatch // without this method
	return json.Unmarshal(b, (*plain)(p))
}

// Patch is the desk's view of the request.
func (p PreferencesPatch) Patch() desk.PreferencesPatch {
	return desk.PreferencesPatch{Sound: p.Sound, BrowserNotifications: p.BrowserNotifications, TitleCount: p.TitleCount, Events: p.Events}
}

// PreferencesWhat is what a settings.changed frame names when an
// operator's own preferences changed (sent to that operator's consoles).
const PreferencesWhat = "preferences"
