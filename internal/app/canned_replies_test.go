package app_test

import (
	"fmt"
	"strings"
	"testing"

	"outputdesk/internal/protocol"
)

// cannedList is GET /api/canned-replies as o, as "shortcut:shared" words.
func cannedList(o *operator) string {
	o.s.t.Helper()
	var out struct {
		Replies []protocol.CannedReply `json:"replies"`
	}
	o.mustDo("GET", "/api/canned-replies", nil, 200, &out)
	words := []string{}
	for _, r := range out.Replies {
		words = append(words, fmt.Sprintf("%s:%v", r.Shortcut, r.Shared))
	}
	return strings.Join(words, " ")
}

// Over real HTTP: an admin makes shared replies, every operator their own;
// an operator cannot make or change shared ones (403) nor see or touch
// another's personal ones (404); consoles hear settings.changed
// "canned_replies" for shared changes, and for personal ones only the
// owner's consoles do.
func TestCannedRepliesPermissions(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	john := admin.addOperator("John Mathews", 1, 2)
	anna := admin.addOperator("Anna Berg", 1, 2)
	annaCon, johnCon := anna.console(nil, false), john.console(nil, false)

	var shared, johns protocol.CannedReply
	admin.mustDo("POST", "/api/canned-replies", map[string]any{"shortcut": "ship", "text": "We ship in 2 days, {visitor}.", "shared": true}, 201, &shared)
	if !shared.Shared || shared.OwnerID != nil || shared.Shortcut != "ship" || shared.ID == 0 {
		t.Fatalf("shared reply: %+v", shared)
	}
	for _, con := range []*console{annaCon, johnCon} {
		if f := con.nextType("settings.changed"); f.str("what") != "canned_replies" {
			t.Fatalf("after a shared reply: %v", f)
		}
	}

	john.mustDo("POST", "/api/canned-replies", map[string]any{"shortcut": "/hi", "text": "{operator} here, hello!"}, 201, &johns)
	if johns.Shared || johns.OwnerID == nil || *johns.OwnerID != john.me.ID || johns.Shortcut != "hi" {
		t.Fatalf("John's reply: %+v", johns)
	}
	if f := johnCon.nextType("settings.changed"); f.str("what") != "canned_replies" {
		t.Fatalf("John after his own reply: %v", f)
	}
	// Anna's console hears the next shared change, and nothing before it
	admin.mustDo("PUT", fmt.Sprintf("/api/canned-replies/%d", shared.ID), map[string]any{"shortcut": "ship", "text": "We ship today, {visitor}."}, 200, nil)
	annaCon.nextType("settings.changed")
	annaCon.sync()
	for _, f := range annaCon.drain() {
		if f.str("type") == "settings.changed" {
			t.Fatalf("Anna's console heard of John's personal reply: %v", f)
		}
	}

	if got := cannedList(john); got != "hi:false ship:true" {
		t.Fatalf("John's list: %q", got)
	}
	if got := cannedList(anna); got != "ship:true" {
		t.Fatalf("Anna's list: %q", got)
	}
	if got := cannedList(admin); got != "ship:true" {
		t.Fatalf("the admin's list: %q", got)
	}

	johnsPath, sharedPath := fmt.Sprintf("/api/canned-replies/%d", johns.ID), fmt.Sprintf("/api/canned-replies/%d", shared.ID)
	state := func() string { return cannedList(john) + " | " + cannedList(anna) }
	sendBodies(t, anna, noIDs, state, []bodyCase{
		{"an operator creates a shared reply", "POST", "/api/canned-replies", `{"shortcut":"x","text":"x","shared":true}`, 403, "forbidden", false},
		{"an operator edits a shared reply", "PUT", sharedPath, `{"shortcut":"ship","text":"mine now"}`, 403, "forbidden", false},
		{"an operator deletes a shared reply", "DELETE", sharedPath, ``, 403, "forbidden", false},
		{"an operator edits another's personal reply", "PUT", johnsPath, `{"shortcut":"hi","text":"Anna was here"}`, 404, "not_found", false},
		{"an operator deletes another's personal reply", "DELETE", johnsPath, ``, 404, "not_found", false},
		{"an operator makes a personal one", "POST", "/api/canned-replies", `{"shortcut":"ship","text":"Anna's own"}`, 201, "", true},
	})
	sendBodies(t, admin, noIDs, state, []bodyCase{
		{"an admin edits an operator's personal reply", "PUT", johnsPath, `{"shortcut":"hi","text":"x"}`, 404, "not_found", false},
		{"an admin deletes an operator's personal reply", "DELETE", johnsPath, ``, 404, "not_found", false},
		{"a duplicate shared shortcut, in another case", "POST", "/api/canned-replies", `{"shortcut":"SHIP","text":"x","shared":true}`, 409, "conflict", false},
		{"a shared reply made personal", "PUT", sharedPath, `{"shortcut":"ship","text":"x","shared":false}`, 400, "invalid", false},
		{"an unknown id", "PUT", "/api/canned-replies/424242", `{"shortcut":"x","text":"x"}`, 404, "not_found", false},
		{"an id that is not a number", "DELETE", "/api/canned-replies/abc", ``, 404, "not_found", false},
		{"an admin edits a shared reply", "PUT", sharedPath, `{"shortcut":"shipping","text":"We ship fast."}`, 200, "", true},
	})
	sendBodies(t, john, noIDs, state, []bodyCase{
		{"a duplicate personal shortcut", "POST", "/api/canned-replies", `{"shortcut":"HI","text":"x"}`, 409, "conflict", false},
		{"the owner edits it", "PUT", johnsPath, `{"shortcut":"hello","text":"Hello from {operator}"}`, 200, "", true},
		{"the owner deletes it", "DELETE", johnsPath, ``, 204, "", true},
		{"deleted already", "DELETE", johnsPath, ``, 404, "not_found", false},
	})
	sendBodies(t, admin, noIDs, state, []bodyCase{
		{"an admin deletes a shared reply", "DELETE", sharedPath, ``, 204, "", true},
	})
	if got := cannedList(anna); got != "ship:false" {
		t.Fatalf("Anna's list at the end: %q", got)
	}
}

func TestCannedRepliesMissingMembers(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	state := func() string { return readRaw(admin, "/api/canned-replies") }
	var r protocol.CannedReply
	admin.mustDo("POST", "/api/canned-replies", map[string]any{"shortcut": "ship", "text": "We ship."}, 201, &r)
	ids := strings.NewReplacer("{id}", fmt.Sprint(r.ID))
	long := strings.Repeat("x", 4097)
	sendBodies(t, admin, ids, state, []bodyCase{
		{"without shortcut", "POST", "/api/canned-replies", `{"text":"x"}`, 400, "bad_request", false},
		{"without text", "POST", "/api/canned-replies", `{"shortcut":"x"}`, 400, "bad_request", false},
		{"with a null text", "POST", "/api/canned-replies", `{"shortcut":"x","text":null}`, 400, "bad_request", false},
		{"shared not a boolean", "POST", "/api/canned-replies", `{"shortcut":"x","text":"x","shared":"yes"}`, 400, "bad_request", false},
		{"an empty shortcut", "POST", "/api/canned-replies", `{"shortcut":"","text":"x"}`, 400, "invalid", false},
		{"a shortcut with a space", "POST", "/api/canned-replies", `{"shortcut":"a b","text":"x"}`, 400, "invalid", false},
		{"a shortcut of 33", "POST", "/api/canned-replies", `{"shortcut":"` + strings.Repeat("a", 33) + `","text":"x"}`, 400, "invalid", false},
		{"an empty text", "POST", "/api/canned-replies", `{"shortcut":"x","text":"  "}`, 400, "invalid", false},
		{"a text over the message limit", "POST", "/api/canned-replies", `{"shortcut":"x","text":"` + long + `"}`, 413, "too_large", false},
		{"shared left out: personal", "POST", "/api/canned-replies", `{"shortcut":"x","text":"x"}`, 201, "", true},
		{"update without text", "PUT", "/api/canned-replies/{id}", `{"shortcut":"ship"}`, 400, "bad_request", false},
		{"update with an empty text", "PUT", "/api/canned-replies/{id}", `{"shortcut":"ship","text":""}`, 400, "invalid", false},
		{"update over the limit", "PUT", "/api/canned-replies/{id}", `{"shortcut":"ship","text":"` + long + `"}`, 413, "too_large", false},
		{"update complete, shared left out", "PUT", "/api/canned-replies/{id}", `{"shortcut":"ship","text":"We ship today."}`, 200, "", true},
	})
}
