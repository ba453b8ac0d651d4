package app_test

import (
	"testing"

	"outputdesk/internal/protocol"
)

// identify sends visitor.identify and returns the reply.
func (w *widget) identify(name, email string) frame {
	w.srv.t.Helper()
	ref := w.ref()
	w.send(map[string]any{"type": "visitor.identify", "ref": ref, "name": name, "email": email})
	return w.reply(ref)
}

// A visitor who gives a name (OutputDesk.identify, the pre-chat form) is
// shown by it in the Visitor List and in their chats; a bad email changes
// nothing.
func TestVisitorIdentify(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	con := admin.console(nil, true)
	v := s.visitor("/demo/product")
	if f := s.batch(con); rowOf(f, v.visitorID()) == nil {
		t.Fatalf("the visitor is not listed: %v", f)
	}

	if r := v.identify("Ada", "ada@"); r.str("code") != "invalid" {
		t.Fatalf("a bad email: %v", r)
	}
	if r := v.identify("", ""); r.str("code") != "invalid" {
		t.Fatalf("nothing given: %v", r)
	}
	r := v.identify(" Ada Lovelace ", "ada@example.com")
	if r.str("type") != "ack" || r.obj("visitor").str("name") != "Ada Lovelace" || r.obj("visitor").str("email") != "ada@example.com" {
		t.Fatalf("identify: %v", r)
	}
	var row frame
	for row == nil || row.str("name") != "Ada Lovelace" {
		row = rowOf(s.batch(con), v.visitorID())
	}

	v.say("Hello")
	var got struct {
		Chat protocol.Chat `json:"chat"`
	}
	admin.mustDo("GET", "/api/chats/"+itoa(v.chatID), nil, 200, &got)
	if got.Chat.Visitor.Name != "Ada Lovelace" {
		t.Fatalf("the chat's visitor = %+v", got.Chat.Visitor)
	}
	// the next page keeps the name
	v.reconnect()
	if n := v.welcome.obj("visitor").str("name"); n != "Ada Lovelace" {
		t.Fatalf("the welcome's visitor name = %q", n)
	}
}

// The name a visitor gives on node A shows in node B's Visitor List, for a
// tab on A and another on B.
func TestNodesVisitorIdentify(t *testing.T) {
	c := startCluster(t, 2)
	a, b := c.nodes[0], c.nodes[1]
	admin := c.setup()
	list := admin.on(b).console(nil, true)
	v := a.visitor("/demo/")
	id := v.visitorID()
	list.next("the visitor in B's Visitor List", func(f frame) bool { return f.str("type") == "visitors" && rowOf(f, id) != nil })
	other := v.tab("/demo/pricing")
	other.srv = b.server
	other.close()
	other.connect("/demo/pricing", "pv-on-b")

	if r := v.identify("Grace Hopper", ""); r.str("type") != "ack" {
		t.Fatalf("identify on A: %v", r)
	}
	list.next("the name in B's Visitor List", func(f frame) bool {
		r := rowOf(f, id)
		return f.str("type") == "visitors" && r != nil && r.str("name") == "Grace Hopper"
	})
	// Both tabs carry it: whichever tab is shown, the row keeps the name.
	other.send(map[string]any{"type": "page", "page": map[string]any{"id": "pv-on-b-2", "url": b.base + "/demo/product", "title": "Product"}, "visible": true})
	row := rowOf(list.next("B's tab shown", func(f frame) bool {
		r := rowOf(f, id)
		return f.str("type") == "visitors" && r != nil && r.obj("page").str("title") == "Product"
	}), id)
	if row.str("name") != "Grace Hopper" {
		t.Fatalf("with B's tab shown the row says %q", row.str("name"))
	}
}

// The "Pre-chat form" setting: each field off, optional or required; the
// widget's welcome carries it; a bad mode changes nothing.
func TestPreChatFormSetting(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	v := s.visitor("/demo/")
	if pc := v.welcome.obj("pre_chat"); pc.str("name") != "off" || pc.str("email") != "off" || pc.str("question") != "off" {
		t.Fatalf("the default pre_chat = %v, want all off", pc)
	}
	if st := admin.do("PATCH", "/api/settings", map[string]any{"pre_chat": map[string]any{"name": "maybe", "email": "off", "question": "off"}}, nil); st != 400 {
		t.Fatalf("a bad mode: status %d, want 400", st)
	}
	admin.patchSettings(map[string]any{"pre_chat": map[string]any{"name": "required", "email": "optional", "question": "off"}})
	var set protocol.Settings
	admin.mustDo("GET", "/api/settings", nil, 200, &set)
	if set.PreChat != (protocol.PreChat{Name: "required", Email: "optional", Question: "off"}) {
		t.Fatalf("pre_chat = %+v", set.PreChat)
	}
	for _, bad := range []int{-1, 301} {
		if st := admin.do("PATCH", "/api/settings", map[string]any{"launcher_offset": bad}, nil); st != 400 {
			t.Fatalf("launcher_offset %d: status %d, want 400", bad, st)
		}
	}
	admin.patchSettings(map[string]any{"launcher_offset": 80})
	v.reconnect()
	if pc := v.welcome.obj("pre_chat"); pc.str("name") != "required" || pc.str("email") != "optional" {
		t.Fatalf("the welcome's pre_chat = %v", pc)
	}
	if v.welcome.num("launcher_offset") != 80 {
		t.Fatalf("the welcome's launcher_offset = %v", v.welcome["launcher_offset"])
	}
}
