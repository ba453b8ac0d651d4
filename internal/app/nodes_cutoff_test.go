package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"outputdesk/internal/bus/bustest"
)

// A node cut off from NATS says so on /healthz, closes its sockets with
// "try again later" (1013) and refuses new ones, so its clients go to a
// node that hears the cluster. Meanwhile it concludes nothing from its
// stale presence: no hand-back, no visitor left. Once NATS is back it
// serves again.
func TestNodesCutOffFromNATS(t *testing.T) {
	link := bustest.NewLink(t, bustest.NATSURL())
	c := startCluster(t, 0, "--node-ttl", "1s", "--operator-grace", "2s", "--presence-grace", "2s")
	a := c.startVia(link.URL)
	b := c.start()
	admin := c.setup()
	admin.patchSettings(map[string]any{"chat_rule": "Automatic"})
	admin.setStatus("Away")
	john := admin.addOperator("John Mathews", 1, 2).on(b)
	jc := john.console(nil, false)
	waitFor(t, "node A to see John Online", func() bool { return admin.statusOn(a, john.me.ID) == "Online" })
	v := a.visitor("/demo/")
	v.say("Hello")
	v.chatWith(v.chatID, "active", "John Mathews")

	link.Cut()
	if code := v.waitClosed(); code != 1013 {
		t.Fatalf("the cut-off node closed the visitor's socket with %d, want 1013", code)
	}
	if st, body := health(t, a); st != 503 || !strings.Contains(body, `"bus":"unavailable"`) {
		t.Errorf("cut-off node's /healthz = %d %s", st, body)
	}
	refused := dial(t, strings.Replace(a.base, "http", "ws", 1)+"/ws/visitor?site_key="+c.key, http.Header{"Origin": {a.base}})
	if code := refused.waitClosed(); code != 1013 {
		t.Errorf("a new socket on the cut-off node closed with %d, want 1013", code)
	}

	v.moveTo(b)
	if ch := v.welcome.obj("chat"); ch.str("state") != "active" || ch.obj("operator").str("name") != "John Mathews" {
		t.Fatalf("on B after the cut: %v", v.welcome)
	}
	jc.say(v.chatID, "Still here")
	v.message("Still here")
	for _, line := range []string{"operator grace ran out while this node does not hear the others", "visitor grace ran out while this node does not hear the others"} {
		a.logs.Await(t, line)
	}
	var got struct {
		Chat struct {
			State         string
			Operator      *struct{ Name string }
			VisitorLeftAt *string `json:"visitor_left_at"`
		}
	}
	admin.on(b).mustDo("GET", "/api/chats/"+itoa(v.chatID), nil, 200, &got)
	if got.Chat.State != "active" || got.Chat.Operator == nil || got.Chat.VisitorLeftAt != nil {
		t.Fatalf("the cut-off node changed the chat from its stale view: %+v", got.Chat)
	}

	link.Heal()
	a.logs.Await(t, "the bus is back: taking sockets again")
	if st, body := health(t, a); st != 200 {
		t.Fatalf("/healthz once the bus is back = %d %s", st, body)
	}
	back := a.visitor("/demo/")
	back.say("Back on A")
	jc.next("the new visitor's ticket on B", func(f frame) bool {
		return f.str("type") == "chat" && f.obj("chat").num("id") == back.chatID
	})
}

func health(t *testing.T, n *node) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(n.ctx, "GET", n.base+"/healthz", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}
