package app_test

import (
	"fmt"
	"testing"
)

type ruleList struct {
	Rules []struct {
		ID       int64
		Name     string
		Enabled  bool
		Position int
	}
}

func (l ruleList) names() string {
	out := ""
	for _, r := range l.Rules {
		out += fmt.Sprintf("%s@%d ", r.Name, r.Position)
	}
	return out
}

// Settings > "Action Rules" > "Chat Routing" over the API: add, edit,
// order, enable/disable, delete; bad rules are refused.
func TestActionRulesAPI(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	john := admin.addOperator("John Mathews", 1, 2)
	rule := func(name, field, op, value string) map[string]any {
		return map[string]any{"name": name, "enabled": true, "target_operator_id": john.me.ID,
			"conditions": []map[string]string{{"field": field, "op": op, "value": value}}}
	}
	for _, bad := range []map[string]any{
		rule("Bad op", "url", "regex", "x"),
		rule("Title equals", "title", "equals", "x"),
		rule("", "url", "contains", "x"),
		{"name": "No conditions", "enabled": true, "target_operator_id": john.me.ID, "conditions": []any{}},
		{"name": "Nobody", "enabled": true, "target_operator_id": 999, "conditions": []map[string]string{{"field": "url", "op": "contains", "value": "x"}}},
	} {
		var body map[string]any
		if st := admin.do("POST", "/api/action-rules", bad, &body); st != 400 || body["code"] != "invalid" {
			t.Errorf("%v: %d %v, want 400 invalid", bad["name"], st, body)
		}
	}
	var a, b, c struct{ ID int64 }
	admin.mustDo("POST", "/api/action-rules", rule("Product page", "url", "contains", "/product"), 201, &a)
	admin.mustDo("POST", "/api/action-rules", rule("Pricing", "url", "starts_with", s.base+"/demo/pricing"), 201, &b)
	admin.mustDo("POST", "/api/action-rules", rule("Google", "referrer", "contains", "google"), 201, &c)
	var l ruleList
	admin.mustDo("POST", fmt.Sprintf("/api/action-rules/%d/move", c.ID), map[string]string{"direction": "up"}, 200, &l)
	if l.names() != "Product page@1 Google@2 Pricing@3 " {
		t.Fatalf("after moving Google up: %s", l.names())
	}
	if st := admin.do("POST", fmt.Sprintf("/api/action-rules/%d/move", c.ID), map[string]string{"direction": "sideways"}, nil); st != 400 {
		t.Fatalf("move sideways = %d", st)
	}
	off := rule("Product page", "url", "contains", "/product")
	off["enabled"] = false
	admin.mustDo("PUT", fmt.Sprintf("/api/action-rules/%d", a.ID), off, 200, nil)
	admin.mustDo("DELETE", fmt.Sprintf("/api/action-rules/%d", b.ID), nil, 204, nil)
	l = ruleList{}
	john.mustDo("GET", "/api/action-rules", nil, 200, &l)
	if l.names() != "Product page@1 Google@2 " || l.Rules[0].Enabled {
		t.Fatalf("rules = %+v", l.Rules)
	}
	if st := john.do("DELETE", fmt.Sprintf("/api/action-rules/%d", a.ID), nil, nil); st != 403 {
		t.Fatalf("an operator deleting a rule = %d", st)
	}
	if st := admin.do("DELETE", fmt.Sprintf("/api/action-rules/%d", b.ID), nil, nil); st != 404 {
		t.Fatalf("deleting twice = %d", st)
	}
}

// "Send Invitation" chat rules over the API.
func TestInvitationRulesAPI(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	for _, bad := range []map[string]any{
		{"name": "No message", "enabled": true, "url": nil, "min_time_on_page_seconds": 5, "min_pages_viewed": 0, "message": ""},
		{"name": "Negative", "enabled": true, "url": nil, "min_time_on_page_seconds": -1, "min_pages_viewed": 0, "message": "x"},
		{"name": "Bad op", "enabled": true, "url": map[string]string{"op": "near", "value": "x"}, "min_time_on_page_seconds": 5, "min_pages_viewed": 0, "message": "x"},
	} {
		if st := admin.do("POST", "/api/invitation-rules", bad, nil); st != 400 {
			t.Errorf("%v: %d, want 400", bad["name"], st)
		}
	}
	var r struct {
		ID  int64
		URL *struct{ Op, Value string }
	}
	admin.mustDo("POST", "/api/invitation-rules", map[string]any{"name": "Pricing", "enabled": true, "url": map[string]string{"op": "wildcard", "value": "*/pricing*"},
		"min_time_on_page_seconds": 10, "min_pages_viewed": 2, "message": "Need help choosing?"}, 201, &r)
	if r.URL == nil || r.URL.Op != "wildcard" {
		t.Fatalf("created = %+v", r)
	}
	admin.mustDo("PUT", fmt.Sprintf("/api/invitation-rules/%d", r.ID), map[string]any{"name": "Pricing", "enabled": false, "url": nil,
		"min_time_on_page_seconds": 10, "min_pages_viewed": 2, "message": "Need help choosing?"}, 200, nil)
	var l struct {
		Rules []struct {
			Enabled bool
			URL     *struct{ Op string }
		}
	}
	admin.mustDo("GET", "/api/invitation-rules", nil, 200, &l)
	if len(l.Rules) != 1 || l.Rules[0].Enabled || l.Rules[0].URL != nil {
		t.Fatalf("rules = %+v", l.Rules)
	}
	admin.mustDo("DELETE", fmt.Sprintf("/api/invitation-rules/%d", r.ID), nil, 204, nil)
}

// A console hears that an admin changed the settings or rules, once this
// node has applied them, and which: it reads them again.
func TestSettingsChangedFrames(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	john := admin.addOperator("John Mathews", 1, 2)
	con := admin.console(nil, false)
	admin.patchSettings(map[string]any{"invitation_text": "Hello from {operator}"})
	if f := con.nextType("settings.changed"); f.str("what") != "settings" {
		t.Fatalf("after PATCH /api/settings: %v", f)
	}
	admin.mustDo("POST", "/api/action-rules", map[string]any{"name": "Product page", "enabled": true, "target_operator_id": john.me.ID,
		"conditions": []map[string]string{{"field": "url", "op": "contains", "value": "/product"}}}, 201, nil)
	if f := con.nextType("settings.changed"); f.str("what") != "action_rules" {
		t.Fatalf("after POST /api/action-rules: %v", f)
	}
	admin.mustDo("POST", "/api/invitation-rules", map[string]any{"name": "Pricing", "enabled": true, "message": "Questions?",
		"url": map[string]string{"op": "contains", "value": "/pricing"}, "min_time_on_page_seconds": 5, "min_pages_viewed": 0}, 201, nil)
	if f := con.nextType("settings.changed"); f.str("what") != "invitation_rules" {
		t.Fatalf("after POST /api/invitation-rules: %v", f)
	}
}
