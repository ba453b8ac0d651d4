package app_test

import (
	"strings"
	"testing"
)

// The start banner says where the records live and which bus is in use.
func TestStartBanner(t *testing.T) {
	s := startServer(t)
	out := s.out.String()
	for _, want := range []string{"Console: " + s.base + "/console/", "Data:    SQLite, " + s.cfg.DataDir, "outputdesk.db", "Bus:     in-process (one node)"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	if !s.logs.Has(`msg=started`) {
		t.Errorf("no info line at start")
	}
}

// On PostgreSQL and NATS it names the database host and the NATS servers,
// never the passwords in their URLs.
func TestStartBannerCluster(t *testing.T) {
	c := startCluster(t, 1)
	n := c.nodes[0]
	n.logs.Await(t, "msg=started") // written just after the banner it waited for
	out := n.logs.String()
	for _, want := range []string{"data=\"PostgreSQL, database ", " on 127.0.0.1:5432", "bus=\"NATS nats://", "subjects prefixed " + c.prefix} {
		if !strings.Contains(out, want) {
			t.Errorf("start line lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "postgres://") {
		t.Errorf("the database URL is logged whole")
	}
}
