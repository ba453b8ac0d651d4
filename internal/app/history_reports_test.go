package app_test

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"outputdesk/internal/protocol"
)

// historyChats seeds a known history through the API and the sockets:
//
//	A: Ada takes it after 30 s, answers at 90 s, ends it at 600 s
//	B: nobody takes it; Ada cancels the ticket after 120 s (missed)
//	C: "=Evil Op" takes it at once and answers after 20 s; the visitor cancels it after 60 s
func historyChats(t *testing.T, s *server) (admin, evil *operator, a, b, c int64) {
	admin = s.firstAdmin()
	con := admin.console(nil, true)
	v1 := s.visitor("/demo/")
	v1.say("hello A")
	s.advance(30 * time.Second)
	admin.take(v1.chatID)
	s.advance(60 * time.Second)
	con.say(v1.chatID, "hi A")
	s.advance(510 * time.Second)
	admin.end(v1.chatID)

	v2 := s.visitor("/demo/pricing")
	v2.say("hello B")
	s.advance(120 * time.Second)
	admin.end(v2.chatID)

	evil = admin.addOperator("=Evil Op", 1, 5)
	v3 := s.visitor("/demo/product")
	v3.say("hello C")
	evil.take(v3.chatID)
	s.advance(20 * time.Second)
	evilCon := evil.console(nil, false)
	evilCon.say(v3.chatID, "hi C")
	s.advance(40 * time.Second)
	ref := v3.ref()
	v3.send(map[string]any{"type": "chat.end", "ref": ref})
	if r := v3.reply(ref); r.str("type") != "ack" {
		t.Fatalf("chat.end reply = %v", r)
	}
	return admin, evil, v1.chatID, v2.chatID, v3.chatID
}

func num(n int64) *int64 { return &n }

func TestHistoryListAndFilters(t *testing.T) {
	s := startServer(t)
	admin, evil, a, b, c := historyChats(t, s)
	list := func(query string) []protocol.Chat {
		t.Helper()
		var body struct {
			Chats []protocol.Chat `json:"chats"`
		}
		admin.mustDo("GET", "/api/chats?"+query, nil, 200, &body)
		return body.Chats
	}
	ids := func(cs []protocol.Chat) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	all := list("state=ended")
	if !slices.Equal(ids(all), []int64{c, b, a}) {
		t.Fatalf("ended chats %v, want %v", ids(all), []int64{c, b, a})
	}
	want := map[int64]struct {
		text                     string
		wait, response, duration *int64
	}{
		a: {"Ended by Ada Admin", num(30), num(90), num(600)},
		b: {"Ended by Ada Admin", nil, nil, num(120)},
		c: {"Ended by the visitor", num(0), num(20), num(60)},
	}
	same := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	for _, ch := range all {
		w := want[ch.ID]
		if ch.EndedByText == nil || *ch.EndedByText != w.text || !same(ch.WaitSeconds, w.wait) || !same(ch.FirstResponseSeconds, w.response) || !same(ch.DurationSeconds, w.duration) {
			t.Errorf("chat %d: %q wait %v response %v duration %v; want %+v", ch.ID, deref(ch.EndedByText), deref(ch.WaitSeconds), deref(ch.FirstResponseSeconds), deref(ch.DurationSeconds), w)
		}
	}
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"ended=visitor", []int64{c}},
		{"ended=operator", []int64{b, a}},
		{"ended=inactivity", nil},
		{"missed=true", []int64{b}},
		{"min_wait_seconds=30", []int64{a}},
		{"min_first_response_seconds=21", []int64{a}},
		{"min_duration_seconds=100", []int64{b, a}},
		{fmt.Sprintf("operator_id=%d", evil.me.ID), []int64{c}},
		{"from=" + start.Format("2006-01-02") + "&to=" + start.Add(24*time.Hour).Format("2006-01-02") + "&tz=Europe/Berlin", []int64{c, b, a}},
	} {
		if got := ids(list(tc.query)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
		}
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestHistoryCSV(t *testing.T) {
	s := startServer(t)
	admin, _, a, b, c := historyChats(t, s)
	req, _ := http.NewRequestWithContext(s.ctx, "GET", s.base+"/api/chats.csv?state=ended&min_duration_seconds=60", nil)
	res := admin.send(req)
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="chats-`) {
		t.Fatalf("%d %v\n%s", res.StatusCode, res.Header, data)
	}
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "id,started_at,visitor,operator,started_by,page_url,ended_at,ended_by,wait_seconds,first_response_seconds,duration_seconds,rating,rating_comment" {
		t.Fatalf("csv:\n%s", data)
	}
	for i, want := range []struct {
		id                                 int64
		operator, endedBy, wait, resp, dur string
	}{
		{c, "'=Evil Op", "Ended by the visitor", "0", "20", "60"},
		{b, "", "Ended by Ada Admin", "", "", "120"},
		{a, "Ada Admin", "Ended by Ada Admin", "30", "90", "600"},
	} {
		r := rows[i+1]
		got := []string{r[0], r[3], r[7], r[8], r[9], r[10]}
		exp := []string{fmt.Sprint(want.id), want.operator, want.endedBy, want.wait, want.resp, want.dur}
		if !slices.Equal(got, exp) {
			t.Errorf("row %d: %q, want %q", i+1, got, exp)
		}
	}
}

func TestReportsAPI(t *testing.T) {
	s := startServer(t)
	admin, evil, _, _, _ := historyChats(t, s)
	day := start.Format("2006-01-02")
	next := start.Add(24 * time.Hour).Format("2006-01-02")
	var r protocol.Report
	admin.mustDo("GET", "/api/reports?from="+day+"&to="+next+"&tz=UTC", nil, 200, &r)
	perDay := 0
	for _, d := range r.PerDay {
		perDay += d.Chats
	}
	hours := 0
	for _, n := range r.PerHour {
		hours += n
	}
	if r.From != day || r.To != next || r.TimeZone != "UTC" || r.Chats != 3 || r.Missed != 1 || perDay != 3 || hours != 3 || len(r.PerDay) != 2 || len(r.PerHour) != 24 {
		t.Fatalf("report %+v", r)
	}
	times := func(p protocol.ReportTimes) string {
		return fmt.Sprintf("%d %v %v", p.Chats, deref(p.P50Seconds), deref(p.P90Seconds))
	}
	// waits 30, 0; responses 90, 20; durations 600, 120, 60
	if times(r.Wait) != "2 0 30" || times(r.Response) != "2 20 90" || times(r.Duration) != "3 120 600" {
		t.Errorf("wait %s, first response %s, duration %s", times(r.Wait), times(r.Response), times(r.Duration))
	}
	// one chat each (B was nobody's): a tie, by id
	if len(r.PerOperator) != 2 || r.PerOperator[0].Operator.Name != "Ada Admin" || r.PerOperator[0].Chats != 1 ||
		r.PerOperator[1].Operator.Name != "=Evil Op" || r.PerOperator[1].Chats != 1 || r.PerOperator[1].Operator.ID != evil.me.ID {
		t.Errorf("per operator %+v", r.PerOperator)
	}
	// any operator may read it; the default is the last 7 days up to today
	var def protocol.Report
	evil.mustDo("GET", "/api/reports", nil, 200, &def)
	if len(def.PerDay) != 7 || def.To != s.clock.Now().UTC().Format("2006-01-02") || def.TimeZone != "UTC" {
		t.Errorf("default period %s to %s, %d days, %s", def.From, def.To, len(def.PerDay), def.TimeZone)
	}
}

// Bad filters and periods get a clear error; nothing changes.
func TestHistoryAndReportsBadInput(t *testing.T) {
	s := startServer(t)
	admin, _, _, _, _ := historyChats(t, s)
	before := s.counts()
	for _, tc := range []struct {
		path   string
		status int
		code   string
		msg    string
	}{
		{"/api/reports?from=2026-13-01", 400, "invalid", "from must be a date such as 2026-11-24"},
		{"/api/reports?from=2026-11-05&to=2026-11-04", 400, "invalid", "from (2026-11-05) is after to (2026-11-04)"},
		{"/api/reports?from=2024-01-01&to=2026-01-01", 400, "invalid", "A period is at most 366 days"},
		{"/api/reports?tz=Mars/Olympus", 400, "invalid", "tz must be an IANA time zone such as Europe/Berlin"},
		{"/api/chats?from=2026-11-05&to=2026-11-04", 400, "invalid", "from (2026-11-05) is after to (2026-11-04)"},
		{"/api/chats?ended=somebody", 400, "invalid", "ended must be visitor, operator or inactivity"},
		{"/api/chats?min_wait_seconds=-5", 400, "invalid", "min_wait_seconds must be a number of seconds, 0 to 31536000"},
		{"/api/chats?missed=yes", 400, "invalid", "missed must be true"},
		{"/api/chats?operator_id=9999", 404, "not_found", "operator not found"},
		{"/api/chats.csv?operator_id=9999", 404, "not_found", "operator not found"},
		{"/api/chats.csv?to=tomorrow", 400, "invalid", "to must be a date such as 2026-11-24"},
	} {
		var e struct{ Error, Code string }
		if got := admin.do("GET", tc.path, nil, &e); got != tc.status || e.Code != tc.code || e.Error != tc.msg {
			t.Errorf("%s: %d %+v, want %d %s %q", tc.path, got, e, tc.status, tc.code, tc.msg)
		}
	}
	if after := s.counts(); after != before {
		t.Errorf("bad requests changed something:\n%s\n%s", before, after)
	}
}
