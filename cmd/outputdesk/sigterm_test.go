package main

import (
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/gorilla/websocket"

	"outputdesk/internal/testwait"
)

// SIGTERM, as a service manager or an orchestrator sends it: the server
// tells its sockets to reconnect (1012, service restart: the widget and
// console reconnect, through a load balancer to another node), closes the
// store after the work it started, and exits 0.
func TestSIGTERMTellsSocketsAndExitsZero(t *testing.T) {
	p := startServer(t, t.TempDir())
	res, err := http.Get(p.base + "/demo/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`data-site-key="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no site key in the demo page:\n%s", page)
	}
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(p.base, "http", "ws", 1)+"/ws/visitor?site_key="+string(m[1]), http.Header{"Origin": {p.base}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.WriteJSON(map[string]any{"type": "hello", "page": map[string]any{"id": "p1", "url": p.base + "/demo/", "title": "Home"}})
	var welcome map[string]any
	if err := ws.ReadJSON(&welcome); err != nil || welcome["type"] != "welcome" {
		t.Fatalf("welcome: %v %v", welcome, err)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var closeErr *websocket.CloseError
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			if !errors.As(err, &closeErr) {
				t.Fatalf("the socket ended with %v, not a close frame", err)
			}
			break
		}
	}
	if closeErr.Code != websocket.CloseServiceRestart {
		t.Errorf("close code %d, want %d (service restart: reconnect)", closeErr.Code, websocket.CloseServiceRestart)
	}
	ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), testwait.GiveUpAt(t))
	if !p.awaitEnd() {
		t.Fatal("gave up waiting for the server to exit after SIGTERM")
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0:\n%s", code, &p.stderr)
	}
	for _, bad := range []string{"database is closed", "level=ERROR"} {
		if strings.Contains(p.stderr.String(), bad) {
			t.Errorf("the log has %q:\n%s", bad, &p.stderr)
		}
	}
}
