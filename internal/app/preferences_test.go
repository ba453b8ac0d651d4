package app_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"outputdesk/internal/protocol"
)

// preferencesOf is GET /api/me/preferences as o.
func preferencesOf(o *operator) protocol.Preferences {
	o.s.t.Helper()
	var p protocol.Preferences
	o.mustDo("GET", "/api/me/preferences", nil, 200, &p)
	return p
}

// noSettingsChanged fails if con heard a settings.changed frame by now.
func noSettingsChanged(t *testing.T, con *console, who string) {
	t.Helper()
	con.sync()
	for _, f := range con.drain() {
		if f.str("type") == "settings.changed" {
			t.Fatalf("%s heard %v", who, f)
		}
	}
}

// Over real HTTP: an operator starts with the defaults (everything on),
// changes some members and keeps the others; each change reaches every
// console of theirs as settings.changed "preferences" and no one else's;
// another operator's preferences stay their own.
func TestPreferences(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	john := admin.addOperator("John Mathews", 1, 2)
	anna := admin.addOperator("Anna Berg", 1, 2)
	johnA, johnB, annaCon := john.console(nil, false), john.console(nil, false), anna.console(nil, false)

	defaults := protocol.Preferences{Sound: true, BrowserNotifications: true, TitleCount: true, Events: []string{"new_ticket", "assigned", "message"}}
	if got := preferencesOf(john); !reflect.DeepEqual(got, defaults) {
		t.Fatalf("John's defaults: %+v, want %+v", got, defaults)
	}
	if raw := readRaw(john, "/api/me/preferences"); !strings.Contains(raw, `"updated_at":null`) {
		t.Fatalf("defaults should say updated_at null: %s", raw)
	}

	var after protocol.Preferences
	john.mustDo("PATCH", "/api/me/preferences", map[string]any{"sound": false, "events": []string{"message", "assigned"}}, 200, &after)
	if after.Sound || !after.BrowserNotifications || !after.TitleCount || !reflect.DeepEqual(after.Events, []string{"assigned", "message"}) || after.UpdatedAt == nil {
		t.Fatalf("after John's change: %+v", after)
	}
	for name, con := range map[string]*console{"John's first console": johnA, "John's second console": johnB} {
		if f := con.nextType("settings.changed"); f.str("what") != "preferences" {
			t.Fatalf("%s: %v, want settings.changed preferences", name, f)
		}
	}
	noSettingsChanged(t, annaCon, "Anna's console, after John's change")

	// A later change keeps what it does not name.
	john.mustDo("PATCH", "/api/me/preferences", map[string]any{"browser_notifications": false}, 200, &after)
	if after.Sound || after.BrowserNotifications || !reflect.DeepEqual(after.Events, []string{"assigned", "message"}) {
		t.Fatalf("after John's second change: %+v", after)
	}
	johnA.nextType("settings.changed")
	johnB.nextType("settings.changed")
	if got := preferencesOf(john); !reflect.DeepEqual(got, after) {
		t.Fatalf("John reads %+v, want %+v", got, after)
	}

	// Anna's are her own: still the defaults, and no route reaches John's.
	if got := preferencesOf(anna); !reflect.DeepEqual(got, defaults) {
		t.Fatalf("Anna's after John's changes: %+v", got)
	}
	for _, path := range []string{"/api/operators/" + itoa(john.me.ID) + "/preferences", "/api/me/preferences/" + itoa(john.me.ID)} {
		if status := anna.do("GET", path, nil, nil); status != 404 {
			t.Fatalf("GET %s as Anna: %d, want 404", path, status)
		}
		if status := anna.do("PATCH", path, map[string]any{"sound": true}, nil); status != 404 {
			t.Fatalf("PATCH %s as Anna: %d, want 404", path, status)
		}
	}
	anna.mustDo("PATCH", "/api/me/preferences", map[string]any{"title_count": false}, 200, nil)
	if f := annaCon.nextType("settings.changed"); f.str("what") != "preferences" {
		t.Fatalf("Anna's console: %v", f)
	}
	if got := preferencesOf(john); !reflect.DeepEqual(got, after) {
		t.Fatalf("John's after Anna's change: %+v, want %+v", got, after)
	}
	noSettingsChanged(t, johnA, "John's console, after Anna's change")
}

// Bad input gets 400 (or 415, 403) with a message, changes nothing and
// announces nothing.
func TestPreferencesBadInput(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	john := admin.addOperator("John Mathews", 1, 2)
	john.mustDo("PATCH", "/api/me/preferences", map[string]any{"sound": false}, 200, nil)
	con := john.console(nil, false)
	state := func() string { return readRaw(john, "/api/me/preferences") }

	for _, tc := range []struct {
		name, contentType, body string
		csrf                    bool
		status                  int
		code                    string
	}{
		{"malformed JSON", "application/json", `{"sound": fals`, true, 400, "bad_request"},
		{"not an object", "application/json", `[true]`, true, 400, "bad_request"},
		{"two values", "application/json", `{"sound":true} {}`, true, 400, "bad_request"},
		{"sound not a boolean", "application/json", `{"sound":"loud"}`, true, 400, "bad_request"},
		{"sound null", "application/json", `{"sound":null}`, true, 400, "bad_request"},
		{"browser_notifications a number", "application/json", `{"browser_notifications":1}`, true, 400, "bad_request"},
		{"title_count null", "application/json", `{"title_count":null}`, true, 400, "bad_request"},
		{"events not a list", "application/json", `{"events":"message"}`, true, 400, "bad_request"},
		{"events null", "application/json", `{"events":null}`, true, 400, "bad_request"},
		{"an event not a string", "application/json", `{"events":[1]}`, true, 400, "bad_request"},
		{"an unknown event", "application/json", `{"events":["message","shout"]}`, true, 400, "invalid"},
		{"an unknown event beside a good change", "application/json", `{"sound":true,"events":["Message"]}`, true, 400, "invalid"},
		{"a good change beside a bad one", "application/json", `{"sound":true,"title_count":"no"}`, true, 400, "bad_request"},
		{"not JSON", "text/plain", `{"sound":true}`, true, 415, "unsupported_media_type"},
		{"no CSRF token", "application/json", `{"sound":true}`, false, 403, "forbidden"},
	} {
		before := state()
		req, _ := http.NewRequestWithContext(s.ctx, "PATCH", s.base+"/api/me/preferences", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.contentType)
		if tc.csrf {
			req.Header.Set("X-CSRF-Token", john.csrf)
		}
		res := john.send(req)
		var got struct{ Error, Code string }
		jsonDecode(res.Body, &got)
		res.Body.Close()
		if res.StatusCode != tc.status || got.Code != tc.code || got.Error == "" {
			t.Errorf("%s: %d %+v, want %d %s with a message", tc.name, res.StatusCode, got, tc.status, tc.code)
		}
		if after := state(); after != before {
			t.Errorf("%s changed the preferences:\nbefore %s\nafter  %s", tc.name, before, after)
		}
	}
	// Members the server does not know are ignored, as everywhere.
	john.mustDo("PATCH", "/api/me/preferences", map[string]any{"volume": 11}, 200, nil)
	if got := preferencesOf(john); got.Sound {
		t.Fatalf("an unknown member changed something: %+v", got)
	}
	noSettingsChanged(t, con, "John's console, after refused and empty changes")
}
