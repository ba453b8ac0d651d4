package metrics

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// names are the metric names a scrape of a node shows, and those
// Prometheus adds itself.
func names(t *testing.T) map[string]bool {
	t.Helper()
	m, _ := newTest(noCounts)
	m.StoreCall("Ping", 0) // a histogram shows once it has a series
	fams, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{"up": true, "scrape_duration_seconds": true}
	for _, f := range fams {
		out[f.GetName()] = true
	}
	return out
}

var metricName = regexp.MustCompile(`\b(?:outputdesk|go|process)_[a-z0-9_]+\b|\bup\b|\bscrape_duration_seconds\b`)

// checkNames fails t for each metric an expression names that no node
// shows (a histogram's or summary's series named by their suffixes).
func checkNames(t *testing.T, where, expr string, known map[string]bool) {
	t.Helper()
	for _, n := range metricName.FindAllString(expr, -1) {
		base := n
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if b, ok := strings.CutSuffix(n, suffix); ok && known[b] {
				base = b
			}
		}
		if !known[base] {
			t.Errorf("%s uses %s, which no node shows: %s", where, n, expr)
		}
	}
}

// The starter dashboard is JSON a Grafana can import, and every query
// names metrics that exist.
func TestGrafanaDashboard(t *testing.T) {
	data, err := os.ReadFile("../../deploy/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title         string `json:"title"`
		UID           string `json:"uid"`
		SchemaVersion int    `json:"schemaVersion"`
		Panels        []struct {
			ID      int    `json:"id"`
			Type    string `json:"type"`
			Title   string `json:"title"`
			GridPos *struct {
				H, W, X, Y int
			} `json:"gridPos"`
			Targets []struct {
				RefID string `json:"refId"`
				Expr  string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("deploy/grafana-dashboard.json: %v", err)
	}
	if dash.Title == "" || dash.UID == "" || dash.SchemaVersion == 0 || len(dash.Panels) == 0 {
		t.Fatalf("the dashboard lacks a title, uid, schemaVersion or panels: %+v", dash)
	}
	known, ids, used := names(t), map[int]bool{}, map[string]bool{}
	for _, p := range dash.Panels {
		if ids[p.ID] || p.GridPos == nil || p.GridPos.W == 0 || p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q: id %d taken twice, or no place on the 24-column grid", p.Title, p.ID)
		}
		ids[p.ID] = true
		if p.Type == "row" {
			continue
		}
		if p.Title == "" || len(p.Targets) == 0 {
			t.Errorf("panel %d has no title or no query", p.ID)
		}
		for _, q := range p.Targets {
			if q.Expr == "" || q.RefID == "" {
				t.Errorf("panel %q has an empty query", p.Title)
			}
			checkNames(t, "panel "+p.Title, q.Expr, known)
			for _, n := range metricName.FindAllString(q.Expr, -1) {
				used[n] = true
			}
		}
	}
	for _, main := range []string{"outputdesk_chats", "outputdesk_queue_oldest_wait_seconds", "outputdesk_sockets", "outputdesk_routing_decisions_total",
		"outputdesk_chat_assignment_wait_seconds_bucket", "outputdesk_message_latency_seconds_bucket", "outputdesk_store_operation_seconds_bucket",
		"outputdesk_store_errors_total", "outputdesk_bus_publish_errors_total", "go_goroutines"} {
		if !used[main] {
			t.Errorf("no panel shows %s", main)
		}
	}
}

// The alert rules are well-formed (YAML of spaces, each rule complete),
// name metrics that exist, and cover what must page someone.
func TestAlertRules(t *testing.T) {
	data, err := os.ReadFile("../../deploy/prometheus-alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if strings.Contains(text, "\t") || !strings.Contains(text, "\ngroups:\n") {
		t.Fatal("the rules file has tabs, or no top-level groups:")
	}
	known := names(t)
	rules := strings.Split(text, "\n      - alert: ")[1:]
	alerts := map[string]bool{}
	for _, r := range rules {
		name, _, _ := strings.Cut(r, "\n")
		alerts[name] = true
		for _, key := range []string{"\n        expr: ", "\n        labels:\n          severity: ", "\n        annotations:\n          summary: ", "\n          description: "} {
			if !strings.Contains(r, key) {
				t.Errorf("alert %s has no %q", name, strings.TrimSpace(key))
			}
		}
		for _, line := range strings.Split(r, "\n") {
			if expr, ok := strings.CutPrefix(line, "        expr: "); ok {
				checkNames(t, "alert "+name, expr, known)
			}
			if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "        ") && line != name && !strings.HasPrefix(line, "#") {
				t.Errorf("alert %s: line %q is not indented under it", name, line)
			}
		}
	}
	for _, want := range []string{"OutputDeskNodeDown", "OutputDeskVisitorWaitingLong", "OutputDeskStoreErrors", "OutputDeskStoreSlow", "OutputDeskBusPublishErrors"} {
		if !alerts[want] {
			t.Errorf("no alert %s (have %v)", want, alerts)
		}
	}
}

// docs/operations.md lists every metric a node shows.
func TestOperationsDocListsEveryMetric(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	for n := range names(t) {
		if strings.HasPrefix(n, "outputdesk_") && !strings.Contains(string(doc), "`"+n+"`") {
			t.Errorf("docs/operations.md does not list `%s`", n)
		}
	}
}
