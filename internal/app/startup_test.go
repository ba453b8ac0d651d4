package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"outputdesk/internal/config"
)

// GET /healthz is 200 while the store answers and 503 once it does not.
func TestHealthz(t *testing.T) {
	s := startServer(t)
	get := func() (int, map[string]string) {
		req, _ := http.NewRequestWithContext(s.ctx, "GET", s.base+"/healthz", nil)
		res := s.newOperatorClient().send(req)
		defer res.Body.Close()
		var body map[string]string
		json.NewDecoder(res.Body).Decode(&body)
		return res.StatusCode, body
	}
	if got, body := get(); got != 200 || body["store"] != "ok" || body["bus"] != "ok" {
		t.Fatalf("healthz = %d %v, want 200 with store and bus ok", got, body)
	}
	s.app.Store().Close()
	if got, body := get(); got != 503 || body["store"] != "unavailable" || body["bus"] != "ok" {
		t.Fatalf("healthz with the store closed = %d %v, want 503 naming the store", got, body)
	}
}

// --demo seeds the seed's example on a fresh data dir and prints passwords.
func TestDemoSeed(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.Demo = true })
	for _, line := range []string{
		"Demo operator: John Mathews <john@example.com> / demo-password (priority 1, chat limit 2)",
		"Demo operator: Anna Berg <anna@example.com> / demo-password (priority 2, chat limit 3)",
		"Demo operator: Maria Lopez <maria@example.com> / demo-password (priority 3, chat limit 3)",
		"Console: " + s.base + "/console/",
		"Demo:    " + s.base + "/demo/",
	} {
		if !strings.Contains(s.out.String(), line) {
			t.Errorf("start-up output lacks %q:\n%s", line, s.out)
		}
	}
	john := s.login("john@example.com", "demo-password")
	if s.app.Settings().ChatRule != "Automatic" {
		t.Fatalf("chat rule = %s", s.app.Settings().ChatRule)
	}
	var rules struct {
		Rules []struct {
			Name             string
			TargetOperatorID int64 `json:"target_operator_id"`
			Conditions       []struct{ Field, Op, Value string }
		}
	}
	john.mustDo("GET", "/api/action-rules", nil, 200, &rules)
	r := rules.Rules
	if len(r) != 1 || r[0].Name != "Product page" || r[0].TargetOperatorID != john.me.ID ||
		len(r[0].Conditions) != 1 || r[0].Conditions[0].Value != "/product" || r[0].Conditions[0].Op != "contains" {
		t.Fatalf("rules = %+v", r)
	}
	// a second start on the same data dir seeds nothing more
	s.restart()
	if !strings.Contains(s.out.String(), "nothing seeded") {
		t.Fatalf("second start: %s", s.out)
	}
}

// The first admin from the environment, when no operator exists.
func TestFirstAdminFromConfig(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.AdminEmail, c.AdminPassword = "boss@example.com", "long enough" })
	boss := s.login("boss@example.com", "long enough")
	if boss.me.Role != "admin" {
		t.Fatalf("role = %s", boss.me.Role)
	}
	var setup struct {
		NeedsAdmin bool `json:"needs_admin"`
	}
	boss.mustDo("GET", "/api/setup", nil, 200, &setup)
	if setup.NeedsAdmin {
		t.Fatal("still asks for an admin")
	}
	// logging out ends the session and its sockets
	con := boss.console(nil, false)
	boss.mustDo("DELETE", "/api/session", nil, 204, nil)
	if code := con.waitClosed(); code != 4401 {
		t.Fatalf("console after logout closed with %d", code)
	}
	if st := boss.do("GET", "/api/session", nil, nil); st != 401 {
		t.Fatalf("session after logout = %d", st)
	}
}
