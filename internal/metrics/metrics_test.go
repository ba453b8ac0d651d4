package metrics

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"outputdesk/internal/desk"
	"outputdesk/internal/presence"
	"outputdesk/internal/store"
)

var t0 = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

func newTest(open func(context.Context) (store.OpenChatCounts, error)) (*Metrics, *time.Time) {
	now := t0
	m := New(Deps{Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Presence:  func() presence.Counts { return presence.Counts{Consoles: 2, Tabs: 5, Visitors: 4} },
		Sockets:   func() (int, int) { return 8, 100 },
		OpenChats: open, StoreOps: []string{"AddMessage", "ChangeChat"}})
	return m, &now
}

// sample is the metric name with labels (name, value…) in the registry, or nil.
func sample(t *testing.T, m *Metrics, name string, labels ...string) *dto.Metric {
	t.Helper()
	fams, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, s := range f.Metric {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, l := range s.Label {
					found = found || l.GetName() == labels[i] && l.GetValue() == labels[i+1]
				}
				if !found {
					continue next
				}
			}
			return s
		}
	}
	return nil
}

func value(t *testing.T, m *Metrics, name string, labels ...string) float64 {
	t.Helper()
	s := sample(t, m, name, labels...)
	switch {
	case s == nil:
		t.Fatalf("no %s%v", name, labels)
	case s.Gauge != nil:
		return s.Gauge.GetValue()
	case s.Counter != nil:
		return s.Counter.GetValue()
	}
	t.Fatalf("%s%v is neither a gauge nor a counter", name, labels)
	return 0
}

func histogram(t *testing.T, m *Metrics, name string, labels ...string) (uint64, float64) {
	t.Helper()
	s := sample(t, m, name, labels...)
	if s == nil || s.Histogram == nil {
		t.Fatalf("no histogram %s%v", name, labels)
	}
	return s.Histogram.GetSampleCount(), s.Histogram.GetSampleSum()
}

func noCounts(context.Context) (store.OpenChatCounts, error) { return store.OpenChatCounts{}, nil }

// A chat's life as the announcer reports it: each routing entry a change
// added is counted once by kind; the wait is observed at the first
// assignment only, by how it came.
func TestChatChanged(t *testing.T) {
	m, _ := newTest(noCounts)
	entry := func(k desk.RoutingKind, at time.Duration) desk.RoutingEntry {
		return desk.RoutingEntry{Kind: k, At: t0.Add(at)}
	}
	created := desk.Chat{ID: 1, State: desk.ChatWaiting, CreatedAt: t0}
	m.ChatChanged(desk.Chat{}, created)

	routed := created
	routed.Routing = []desk.RoutingEntry{entry(desk.RoutedManual, 0)}
	m.ChatChanged(created, routed)

	taken := routed
	taken.State, taken.OperatorID, taken.AssignedAt = desk.ChatActive, 7, t0.Add(30*time.Second)
	taken.Routing = append(taken.Routing, entry(desk.RoutedTaken, 30*time.Second))
	m.ChatChanged(routed, taken)

	// one change may record more than one entry
	back := taken
	back.State, back.OperatorID, back.AssignedAt = desk.ChatWaiting, 0, time.Time{}
	back.Routing = append(back.Routing, entry(desk.RoutedHandedBack, 5*time.Minute), entry(desk.RoutedNoRoom, 5*time.Minute))
	m.ChatChanged(taken, back)

	again := back
	again.State, again.OperatorID, again.AssignedAt = desk.ChatActive, 8, t0.Add(6*time.Minute)
	again.Routing = append(again.Routing, entry(desk.RoutedAutomatic, 6*time.Minute))
	m.ChatChanged(back, again)

	ended := again
	ended.State = desk.ChatEnded
	m.ChatChanged(again, ended)

	// an accepted invitation: created with its operator
	invited := desk.Chat{ID: 2, State: desk.ChatActive, OperatorID: 7, CreatedAt: t0, AssignedAt: t0,
		Routing: []desk.RoutingEntry{entry(desk.RoutedInvitation, 0)}}
	m.ChatChanged(desk.Chat{}, invited)

	for kind, want := range map[string]float64{"manual": 1, "taken": 1, "handed_back": 1, "automatic": 1, "invitation": 1, "action_rule": 0, "no_room": 1, "transfer": 0} {
		if got := value(t, m, "outputdesk_routing_decisions_total", "kind", kind); got != want {
			t.Errorf("routing decisions %s = %v, want %v", kind, got, want)
		}
	}
	for how, want := range map[string]struct {
		n   uint64
		sum float64
	}{"taken": {1, 30}, "automatic": {0, 0}, "invitation": {1, 0}, "action_rule": {0, 0}} {
		if n, sum := histogram(t, m, "outputdesk_chat_assignment_wait_seconds", "how", how); n != want.n || sum != want.sum {
			t.Errorf("assignment wait %s: %d observed summing %v, want %d summing %v", how, n, sum, want.n, want.sum)
		}
	}
}

// Messages someone sent are timed from their timestamp; lines nobody sent
// (system lines, an invitation's text) are not.
func TestMessageAnnounced(t *testing.T) {
	m, now := newTest(noCounts)
	*now = t0.Add(1500 * time.Millisecond)
	m.MessageAnnounced(desk.Message{Author: desk.AuthorVisitor, ClientID: "v1", CreatedAt: t0})
	m.MessageAnnounced(desk.Message{Author: desk.AuthorOperator, ClientID: "o1", CreatedAt: t0.Add(time.Second)})
	m.MessageAnnounced(desk.Message{Author: desk.AuthorSystem, CreatedAt: t0})
	m.MessageAnnounced(desk.Message{Author: desk.AuthorOperator, CreatedAt: t0}) // an invitation's text
	if n, sum := histogram(t, m, "outputdesk_message_latency_seconds", "author", "visitor"); n != 1 || sum != 1.5 {
		t.Errorf("visitor messages: %d summing %v, want 1 summing 1.5", n, sum)
	}
	if n, sum := histogram(t, m, "outputdesk_message_latency_seconds", "author", "operator"); n != 1 || sum != 0.5 {
		t.Errorf("operator messages: %d summing %v, want 1 summing 0.5", n, sum)
	}
}

func TestStoreAndBus(t *testing.T) {
	m, _ := newTest(noCounts)
	if got := value(t, m, "outputdesk_store_errors_total", "op", "ChangeChat"); got != 0 {
		t.Fatalf("store errors before any = %v", got)
	}
	m.StoreCall("AddMessage", 3*time.Millisecond)
	m.StoreCall("AddMessage", 5*time.Millisecond)
	m.StoreFailed("ChangeChat")
	m.PublishFailed()
	if n, sum := histogram(t, m, "outputdesk_store_operation_seconds", "op", "AddMessage"); n != 2 || sum < 0.0079 || sum > 0.0081 {
		t.Errorf("AddMessage: %d calls summing %v, want 2 summing 0.008", n, sum)
	}
	if got := value(t, m, "outputdesk_store_errors_total", "op", "ChangeChat"); got != 1 {
		t.Errorf("ChangeChat errors = %v", got)
	}
	if got := value(t, m, "outputdesk_bus_publish_errors_total"); got != 1 {
		t.Errorf("publish errors = %v", got)
	}
}

// The gauges are read at the scrape; a store that cannot answer leaves the
// chat gauges out, and the rest of the scrape goes on.
func TestGauges(t *testing.T) {
	m, now := newTest(func(context.Context) (store.OpenChatCounts, error) {
		return store.OpenChatCounts{Waiting: 3, Active: 2, OldestWaiting: t0}, nil
	})
	*now = t0.Add(90 * time.Second)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"outputdesk_sockets", []string{"kind", "visitor"}, 5},
		{"outputdesk_sockets", []string{"kind", "console"}, 2},
		{"outputdesk_visitors_on_site", nil, 4},
		{"outputdesk_sockets_open", nil, 8},
		{"outputdesk_sockets_limit", nil, 100},
		{"outputdesk_chats", []string{"state", "waiting"}, 3},
		{"outputdesk_chats", []string{"state", "active"}, 2},
		{"outputdesk_queue_length", nil, 3},
		{"outputdesk_queue_oldest_wait_seconds", nil, 90},
	} {
		if got := value(t, m, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}

	empty, _ := newTest(noCounts)
	if got := value(t, empty, "outputdesk_queue_oldest_wait_seconds"); got != 0 {
		t.Errorf("the oldest wait with no chat waiting = %v, want 0", got)
	}

	down, _ := newTest(func(context.Context) (store.OpenChatCounts, error) {
		return store.OpenChatCounts{}, errors.New("database is down")
	})
	rec := httptest.NewRecorder()
	down.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "outputdesk_sockets{") || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("a scrape with the store down = %d:\n%.500s", rec.Code, body)
	}
	if strings.Contains(body, "outputdesk_chats{") || strings.Contains(body, "outputdesk_queue_length ") {
		t.Error("the chat gauges are shown with the store down")
	}
}
