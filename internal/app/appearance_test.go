package app_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"outputdesk/internal/protocol"
)

// Settings > Appearance over real HTTP: good values are kept and reach the
// widget's welcome; each bad one is a 400 with a message that says what is
// wrong, and changes nothing.
func TestAppearanceSettings(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v := s.visitor("/demo/")
	w := v.welcome
	if w.str("accent_color") != "#2357d9" || w.str("launcher_position") != "right" || w.str("panel_title") != "Chat with us" ||
		w.str("greeting") != "Have a question? Write to us and we will answer here." || w["show_operator_names"] != true {
		t.Fatalf("the default appearance in the welcome: %v", w)
	}

	var before protocol.Settings
	admin.mustDo("GET", "/api/settings", nil, 200, &before)
	for _, tc := range []struct {
		name string
		body map[string]any
		code string
		msg  string
	}{
		{"a colour that is not hex", map[string]any{"accent_color": "blue"}, "invalid", "The accent colour must be a hex colour such as #2357d9"},
		{"six digits without #", map[string]any{"accent_color": "2357d9"}, "invalid", "hex colour"},
		{"a low contrast", map[string]any{"accent_color": "#FFCC00"}, "invalid",
			"The accent colour #ffcc00 has a contrast ratio of 1.51:1 with white text; it needs at least 4.5:1 (WCAG AA). Pick a darker colour."},
		{"just under the bar", map[string]any{"accent_color": "#777777"}, "invalid", "4.47:1"},
		{"a position", map[string]any{"launcher_position": "top"}, "invalid", "Launcher position must be right or left"},
		{"a title too long", map[string]any{"panel_title": strings.Repeat("x", 61)}, "invalid", "The title must be one line of 1 to 60 characters"},
		{"an empty title", map[string]any{"panel_title": "  "}, "invalid", "1 to 60 characters"},
		{"a greeting too long", map[string]any{"greeting": strings.Repeat("ש", 501)}, "invalid", "The greeting must be at most 500 characters"},
		{"a good colour beside a bad title", map[string]any{"accent_color": "#000000", "panel_title": strings.Repeat("x", 61)}, "invalid", "1 to 60"},
		{"names as a string", map[string]any{"show_operator_names": "no"}, "bad_request", ""},
		{"a colour as a number", map[string]any{"accent_color": 2357}, "bad_request", ""},
	} {
		var e struct{ Error, Code string }
		if st := admin.do("PATCH", "/api/settings", tc.body, &e); st != 400 || e.Code != tc.code || !strings.Contains(e.Error, tc.msg) {
			t.Errorf("%s: %d %+v, want 400 %s %q", tc.name, st, e, tc.code, tc.msg)
		}
	}
	var after protocol.Settings
	admin.mustDo("GET", "/api/settings", nil, 200, &after)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("bad values changed the settings:\n%+v\nwas\n%+v", after, before)
	}

	greeting := strings.Repeat("مرحبا ", 83) // 498 characters once trimmed
	admin.patchSettings(map[string]any{"accent_color": "#0B6E4F", "launcher_position": "left", "panel_title": " Talk to Acme ",
		"greeting": greeting, "show_operator_names": false})
	admin.mustDo("GET", "/api/settings", nil, 200, &after)
	want := protocol.Appearance{AccentColor: "#0b6e4f", LauncherPosition: "left", PanelTitle: "Talk to Acme", Greeting: strings.TrimSpace(greeting)}
	if after.Appearance != want || after.LauncherOffset != before.LauncherOffset || after.ChatRule != before.ChatRule {
		t.Fatalf("settings after the change: %+v, want %+v and the rest as before", after, want)
	}
	// Only what a PATCH names changes.
	admin.patchSettings(map[string]any{"panel_title": "Help"})
	admin.mustDo("GET", "/api/settings", nil, 200, &after)
	if want.PanelTitle = "Help"; after.Appearance != want {
		t.Fatalf("a PATCH of the title alone: %+v", after.Appearance)
	}

	v.reconnect() // the widget's next page
	w = v.welcome
	if w.str("accent_color") != "#0b6e4f" || w.str("launcher_position") != "left" || w.str("panel_title") != "Help" ||
		w.str("greeting") != want.Greeting || w["show_operator_names"] != false {
		t.Fatalf("the welcome after the change: %v", w)
	}
}

// With "Show operators' names" off, no frame a visitor gets — welcome,
// invitation, chat, message, typing, system lines, live or on a new page —
// carries an operator's name; consoles still see them.
func TestOperatorNamesOffNeverReachTheVisitor(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	admin.patchSettings(map[string]any{"show_operator_names": false})
	john := admin.addOperator("John Mathews", 1, 2)
	jc := john.console(nil, false)
	ac := admin.console(nil, false)
	jc.sync()
	ac.sync()

	v := s.visitor("/demo/pricing")
	var got []string // every frame the visitor received, as JSON
	seen := func(f frame) { b, _ := json.Marshal(f); got = append(got, string(b)) }
	wait := func(what string, match func(frame) bool) frame {
		t.Helper()
		return v.next(what, func(f frame) bool { seen(f); return match(f) })
	}
	seen(v.welcome)
	if v.welcome["show_operator_names"] != false {
		t.Fatalf("welcome: %v", v.welcome)
	}

	john.mustDo("POST", fmt.Sprintf("/api/visitors/%d/invite", v.visitorID()), nil, 201, nil)
	inv := wait("invitation", func(f frame) bool { return f.str("type") == "invitation" }).obj("invitation")
	if inv.str("text") != "Hello! Support here. Can I help you with anything?" || inv.obj("operator").str("name") != "Support" {
		t.Fatalf("invitation: %v", inv)
	}
	v.say("Yes please")
	chat := wait("the chat with John", func(f frame) bool { return f.str("type") == "chat" && f.obj("chat").str("state") == "active" }).obj("chat")
	if chat.obj("operator").str("name") != "Support" {
		t.Fatalf("chat: %v", chat)
	}
	jc.send(map[string]any{"type": "typing", "chat_id": v.chatID, "active": true})
	if f := wait("typing", func(f frame) bool { return f.str("type") == "typing" }); f.obj("operator").str("name") != "Support" {
		t.Fatalf("typing: %v", f)
	}
	jc.say(v.chatID, "I am John Mathews, how can I help?")
	if m := jc.message("I am John Mathews, how can I help?"); m.obj("operator").str("name") != "John Mathews" {
		t.Fatalf("the console lost the name: %v", m)
	}
	jm := wait("John's message", func(f frame) bool { return f.str("type") == "message" && f.obj("message").str("author") == "operator" })
	if jm.obj("message").obj("operator").str("name") != "Support" {
		t.Fatalf("message: %v", jm)
	}

	john.mustDo("POST", fmt.Sprintf("/api/chats/%d/transfer", v.chatID), map[string]any{"operator_id": admin.me.ID}, 200, nil)
	line := wait("the transfer line", func(f frame) bool {
		return f.str("type") == "message" && f.obj("message").str("author") == "system"
	}).obj("message")
	if line.str("body") != "The chat was transferred to another operator." {
		t.Fatalf("transfer line: %v", line)
	}
	admin.setStatus("Offline") // hands the chat back: "… went offline" for consoles
	wait("the hand-back line", func(f frame) bool {
		return f.str("type") == "message" && f.obj("message").str("body") == "Your operator went offline. The chat is waiting for another operator."
	})
	admin.setStatus("Online")
	admin.take(v.chatID)
	admin.end(v.chatID)
	ended := wait("the end", func(f frame) bool { return f.str("type") == "chat" && f.obj("chat").str("state") == "ended" }).obj("chat")
	if ended.obj("ended_by_operator").str("name") != "Support" {
		t.Fatalf("ended chat: %v", ended)
	}
	v.sync()
	for _, f := range v.drain() {
		seen(f)
	}

	// The next page: the whole transcript again.
	v.reconnect()
	seen(v.welcome)
	if n := len(v.welcome.list("messages")); n < 4 {
		t.Fatalf("the welcome holds %d messages", n)
	}
	for _, f := range got {
		// John wrote his own name in a message: a name he writes is his to give.
		f = strings.ReplaceAll(f, "I am John Mathews, how can I help?", "")
		for _, name := range []string{"John", "Mathews", "Ada", "Admin"} {
			if strings.Contains(f, name) {
				t.Errorf("the visitor got %q in: %s", name, f)
			}
		}
	}
	if len(got) < 8 {
		t.Fatalf("only %d frames were checked", len(got))
	}
}
