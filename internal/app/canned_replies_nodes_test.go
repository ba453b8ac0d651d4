package app_test

import (
	"testing"
)

// A canned reply saved on node A reaches the consoles it concerns on node
// B: the owner's for a personal reply, every one for a shared reply.
func TestNodesCannedReplies(t *testing.T) {
	c := startCluster(t, 2)
	b := c.nodes[1]
	admin := c.setup()
	john := admin.addOperator("John Mathews", 1, 2)
	anna := admin.addOperator("Anna Berg", 1, 2)
	johnOnB, annaOnB := john.on(b).console(nil, false), anna.on(b).console(nil, false)

	john.mustDo("POST", "/api/canned-replies", map[string]any{"shortcut": "hi", "text": "Hello, {visitor}"}, 201, nil)
	if f := johnOnB.nextType("settings.changed"); f.str("what") != "canned_replies" {
		t.Fatalf("John on B after his reply on A: %v", f)
	}
	admin.mustDo("POST", "/api/canned-replies", map[string]any{"shortcut": "ship", "text": "We ship.", "shared": true}, 201, nil)
	for _, con := range []*console{johnOnB, annaOnB} {
		if f := con.nextType("settings.changed"); f.str("what") != "canned_replies" {
			t.Fatalf("on B after a shared reply on A: %v", f)
		}
	}
	annaOnB.sync()
	for _, f := range annaOnB.drain() {
		if f.str("type") == "settings.changed" {
			t.Fatalf("Anna on B heard of John's personal reply: %v", f)
		}
	}
	if got := cannedList(john.on(b)); got != "hi:false ship:true" {
		t.Fatalf("John's list on B: %q", got)
	}
}
