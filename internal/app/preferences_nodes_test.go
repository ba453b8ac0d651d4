package app_test

import (
	"testing"
)

// A preferences change made on node A reaches the operator's console on
// node B, and no other operator's; reading them on B gives the change.
func TestNodesPreferences(t *testing.T) {
	c := startCluster(t, 2)
	b := c.nodes[1]
	admin := c.setup()
	john := admin.addOperator("John Mathews", 1, 2)
	anna := admin.addOperator("Anna Berg", 1, 2)
	johnOnB, annaOnB := john.on(b).console(nil, false), anna.on(b).console(nil, false)

	john.mustDo("PATCH", "/api/me/preferences", map[string]any{"sound": false, "events": []string{"assigned"}}, 200, nil)
	if f := johnOnB.nextType("settings.changed"); f.str("what") != "preferences" {
		t.Fatalf("John on B after his change on A: %v", f)
	}
	noSettingsChanged(t, annaOnB, "Anna on B, after John's change on A")
	if got := preferencesOf(john.on(b)); got.Sound || len(got.Events) != 1 || got.Events[0] != "assigned" {
		t.Fatalf("John's preferences read on B: %+v", got)
	}
	if got := preferencesOf(anna.on(b)); !got.Sound || len(got.Events) != 3 {
		t.Fatalf("Anna's preferences read on B: %+v", got)
	}
}
