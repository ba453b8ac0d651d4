package app_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"outputdesk/internal/protocol"
)

// At info, each step of a chat's life is one log line on the node that
// made it — started, routed with the reason, taken, transferred, handed
// back, ended with who and why — and no message body or token is logged.
func TestChatLifecycleLog(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	anna := admin.addOperator("Anna Berg", 1, 2)
	admin.console(nil, false)
	anna.console(nil, false)

	const body = "my card number is 4111-1111-secret"
	w := s.visitor("/demo/pricing?token=page-secret")
	w.say(body)
	id := w.chatID
	chat := fmt.Sprintf("chat=%d", id)
	expect := func(what string, attrs ...string) {
		t.Helper()
		for _, line := range strings.Split(s.logs.String(), "\n") {
			if !strings.Contains(line, "level=INFO") || !strings.Contains(line, `msg="`+what+`"`) || !strings.Contains(line, chat+" ") {
				continue
			}
			all := true
			for _, a := range attrs {
				all = all && strings.Contains(line, a)
			}
			if all {
				return
			}
		}
		t.Errorf("no info line %q with %v; log:\n%s", what, attrs, s.logs)
	}
	expect("chat started", "started_by=visitor")
	expect("chat routed", "kind=manual")

	anna.take(id)
	expect("chat taken", fmt.Sprintf("operator=%d", anna.me.ID), `operator_name="Anna Berg"`)

	anna.mustDo("POST", fmt.Sprintf("/api/chats/%d/transfer", id), map[string]any{"operator_id": admin.me.ID}, 200, nil)
	expect("chat transferred", fmt.Sprintf("from_operator=%d", anna.me.ID), fmt.Sprintf("operator=%d", admin.me.ID))

	admin.setStatus("Offline")
	expect("chat handed back", fmt.Sprintf("from_operator=%d", admin.me.ID))

	anna.take(id)
	anna.end(id)
	expect("chat ended", "ended_by=operator", "reason=cancel", fmt.Sprintf("by_operator=%d", anna.me.ID))

	log := s.logs.String()
	base, _ := url.Parse(s.base)
	for _, secret := range []string{body, "page-secret", w.token} {
		if secret != "" && strings.Contains(log, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	for _, ck := range anna.http.Jar.Cookies(base) {
		if ck.Name == protocol.SessionCookie && strings.Contains(log, ck.Value) {
			t.Errorf("the log holds a session token")
		}
	}
}
