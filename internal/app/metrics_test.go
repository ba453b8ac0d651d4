package app_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"outputdesk/internal/config"
)

// scraped is one scrape of /metrics, parsed.
type scraped map[string]*dto.MetricFamily

func (s *server) scrape(addr string) scraped {
	s.t.Helper()
	body, status := s.get("http://" + addr + "/metrics")
	if status != 200 {
		s.t.Fatalf("GET /metrics = %d %s", status, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		s.t.Fatalf("the scrape does not parse: %v\n%s", err, body)
	}
	return fams
}

// get fetches a URL with the test's deadline and returns its body and status.
func (s *server) get(url string) (string, int) {
	s.t.Helper()
	req, _ := http.NewRequestWithContext(s.ctx, "GET", url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b), res.StatusCode
}

// metric is the sample of name whose labels include labels (name, value,
// name, value…); it fails the test if there is none.
func (sc scraped) metric(t *testing.T, name string, labels ...string) *dto.Metric {
	t.Helper()
	fam := sc[name]
	if fam == nil {
		t.Fatalf("no metric %s in the scrape", name)
	}
	if fam.GetHelp() == "" {
		t.Errorf("%s has no HELP", name)
	}
next:
	for _, m := range fam.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range m.Label {
				found = found || l.GetName() == labels[i] && l.GetValue() == labels[i+1]
			}
			if !found {
				continue next
			}
		}
		return m
	}
	t.Fatalf("no %s%v in the scrape", name, labels)
	return nil
}

// value is a gauge's or a counter's value.
func (sc scraped) value(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	m := sc.metric(t, name, labels...)
	switch {
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Counter != nil:
		return m.Counter.GetValue()
	}
	t.Fatalf("%s is neither a gauge nor a counter", name)
	return 0
}

// count and sum are a histogram's.
func (sc scraped) count(t *testing.T, name string, labels ...string) uint64 {
	t.Helper()
	return sc.metric(t, name, labels...).GetHistogram().GetSampleCount()
}

func (sc scraped) sum(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	return sc.metric(t, name, labels...).GetHistogram().GetSampleSum()
}

// storeCalls is how many calls of op the store timed (0: none yet, and no
// series).
func (sc scraped) storeCalls(op string) uint64 {
	for _, m := range sc["outputdesk_store_operation_seconds"].GetMetric() {
		for _, l := range m.Label {
			if l.GetName() == "op" && l.GetValue() == op {
				return m.GetHistogram().GetSampleCount()
			}
		}
	}
	return 0
}

// want checks several values of one scrape at once.
func (sc scraped) want(t *testing.T, what string, want map[string]float64) {
	t.Helper()
	for key, w := range want {
		name, labels, _ := strings.Cut(key, " ")
		var ls []string
		if labels != "" {
			ls = strings.Split(labels, " ")
		}
		if got := sc.value(t, name, ls...); got != w {
			t.Errorf("%s: %s = %v, want %v", what, key, got, w)
		}
	}
}

// With --metrics-addr, /metrics there shows what the desk does: sockets,
// visitors, chats and the queue from the store, routing decisions, the wait
// to be assigned, message and store latencies, and the Go runtime.
func TestMetrics(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.MetricsAddr = "127.0.0.1:0" })
	addr := s.app.MetricsAddr()
	if addr == "" || strings.HasSuffix(addr, ":0") {
		t.Fatalf("MetricsAddr() = %q, want the bound address", addr)
	}
	if !strings.Contains(s.out.String(), "  Metrics: http://"+addr+"/metrics\n") {
		t.Errorf("the start banner does not name the metrics address:\n%s", s.out)
	}

	first := s.scrape(addr)
	first.want(t, "at start", map[string]float64{
		"outputdesk_sockets kind visitor": 0, "outputdesk_sockets kind console": 0, "outputdesk_sockets_open": 0,
		"outputdesk_visitors_on_site": 0, "outputdesk_chats state waiting": 0, "outputdesk_chats state active": 0,
		"outputdesk_queue_length": 0, "outputdesk_queue_oldest_wait_seconds": 0,
		"outputdesk_routing_decisions_total kind manual": 0, "outputdesk_routing_decisions_total kind taken": 0,
		"outputdesk_bus_publish_errors_total": 0, "outputdesk_store_errors_total op AddMessage": 0,
	})
	if g := first.value(t, "go_goroutines"); g < 1 {
		t.Errorf("go_goroutines = %v", g)
	}
	first.metric(t, "process_resident_memory_bytes")
	if lim := first.value(t, "outputdesk_sockets_limit"); lim < 1 {
		t.Errorf("outputdesk_sockets_limit = %v, want the cap derived from the open-file limit", lim)
	}

	admin := s.firstAdmin()
	con := admin.console(nil, false)
	v := s.visitor("/demo/product")
	v.say("Hi, does it ship to Norway?")
	chatID := v.chatID
	con.chatState(chatID, "waiting")
	s.advance(45 * time.Second)

	waiting := s.scrape(addr)
	waiting.want(t, "a chat waiting", map[string]float64{
		"outputdesk_sockets kind visitor": 1, "outputdesk_sockets kind console": 1, "outputdesk_sockets_open": 2,
		"outputdesk_visitors_on_site": 1, "outputdesk_chats state waiting": 1, "outputdesk_chats state active": 0,
		"outputdesk_queue_length": 1, "outputdesk_queue_oldest_wait_seconds": 45,
		"outputdesk_routing_decisions_total kind manual": 1, "outputdesk_routing_decisions_total kind taken": 0,
	})
	if waiting.storeCalls("OpenChatCounts") == 0 {
		t.Error("the first scrape's count of the chats was not timed")
	}
	if n := waiting.storeCalls("CreateChat"); n != 1 {
		t.Errorf("CreateChat timed %d times, want 1", n)
	}
	if n := waiting.count(t, "outputdesk_chat_assignment_wait_seconds", "how", "taken"); n != 0 {
		t.Errorf("a waiting chat counted as assigned: %d", n)
	}

	admin.take(chatID)
	con.say(chatID, "Yes, in 3 days.")
	v.message("Yes, in 3 days.")
	v.say("Great, thanks!")
	con.message("Great, thanks!")

	active := s.scrape(addr)
	active.want(t, "the chat taken", map[string]float64{
		"outputdesk_chats state waiting": 0, "outputdesk_chats state active": 1,
		"outputdesk_queue_length": 0, "outputdesk_queue_oldest_wait_seconds": 0,
		"outputdesk_routing_decisions_total kind manual": 1, "outputdesk_routing_decisions_total kind taken": 1,
		"outputdesk_bus_publish_errors_total": 0,
	})
	if n, sum := active.count(t, "outputdesk_chat_assignment_wait_seconds", "how", "taken"), active.sum(t, "outputdesk_chat_assignment_wait_seconds", "how", "taken"); n != 1 || sum != 45 {
		t.Errorf("time to assignment: %d observed, summing %vs; want one of 45s", n, sum)
	}
	// the visitor's first message (it started the chat) and their reply; the
	// operator's answer. System lines are not messages anyone sent.
	for author, want := range map[string]uint64{"visitor": 2, "operator": 1} {
		if n := active.count(t, "outputdesk_message_latency_seconds", "author", author); n != want {
			t.Errorf("message latency of %s messages observed %d times, want %d", author, n, want)
		}
	}
	if d := active.storeCalls("AddMessage") - waiting.storeCalls("AddMessage"); d != 2 {
		t.Errorf("AddMessage timed %d times for two messages", d)
	}
	if active.storeCalls("ChangeChat") <= waiting.storeCalls("ChangeChat") {
		t.Error("taking the chat timed no ChangeChat")
	}

	// a console that goes is no longer counted
	con.close()
	waitFor(t, "the console's socket to end", func() bool { return s.app.ConsolesOf(admin.me.ID) == 0 })
	s.scrape(addr).want(t, "the console gone", map[string]float64{"outputdesk_sockets kind console": 0, "outputdesk_sockets kind visitor": 1})
}

// The profiler answers on the metrics address, and not on the public one.
func TestMetricsAddrServesPprof(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.MetricsAddr = "127.0.0.1:0" })
	body, status := s.get("http://" + s.app.MetricsAddr() + "/debug/pprof/")
	if status != 200 || !strings.Contains(body, "goroutine") {
		t.Fatalf("GET /debug/pprof/ on the metrics address = %d %.200s", status, body)
	}
	if _, status := s.get("http://" + s.app.MetricsAddr() + "/debug/pprof/goroutine?debug=1"); status != 200 {
		t.Errorf("the goroutine profile = %d", status)
	}
	// the command line may carry a password
	if _, status := s.get("http://" + s.app.MetricsAddr() + "/debug/pprof/cmdline"); status == 200 {
		t.Error("/debug/pprof/cmdline shows the command line")
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/goroutine?debug=1", "/metrics"} {
		if _, status := s.get(s.base + path); status != 404 {
			t.Errorf("GET %s on the public address = %d, want 404", path, status)
		}
	}

	// Close closes the metrics listener too
	addr := s.app.MetricsAddr()
	if err := s.app.Close(); err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("the metrics address still accepts connections after Close")
	}
}

// Without --metrics-addr nothing listens, and the public address serves
// neither the metrics nor the profiler.
func TestNoMetricsByDefault(t *testing.T) {
	s := startServer(t)
	if addr := s.app.MetricsAddr(); addr != "" {
		t.Fatalf("MetricsAddr() = %q without --metrics-addr", addr)
	}
	if strings.Contains(s.out.String(), "Metrics:") {
		t.Errorf("the banner names metrics that are off:\n%s", s.out)
	}
	for _, path := range []string{"/metrics", "/debug/pprof/"} {
		if _, status := s.get(s.base + path); status != 404 {
			t.Errorf("GET %s = %d, want 404", path, status)
		}
	}
}
