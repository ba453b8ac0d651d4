package main

import (
	"fmt"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	vals := make([]float64, 100)
	for i := range vals {
		vals[i] = float64(i + 1) // 1..100
	}
	for _, c := range []struct {
		p, want float64
	}{{50, 50}, {95, 95}, {99, 99}, {100, 100}, {0.5, 1}} {
		if got := percentile(vals, c.p); got != c.want {
			t.Errorf("percentile(1..100, %v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := percentile([]float64{7}, 99); got != 7 {
		t.Errorf("percentile of one value = %v, want 7", got)
	}
	q := summarize([]float64{3, 1, 2})
	if q.N != 3 || q.P50 != 2 || q.Max != 3 || q.Mean != 2 {
		t.Errorf("summarize(3,1,2) = %+v", q)
	}
}

func TestMaxInWindow(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms ...int) []time.Time {
		out := make([]time.Time, len(ms))
		for i, m := range ms {
			out[i] = t0.Add(time.Duration(m) * time.Millisecond)
		}
		return out
	}
	for _, c := range []struct {
		name string
		ms   []int
		want int
	}{
		{"empty", nil, 0},
		{"one a second", []int{0, 1000, 2000, 3000}, 1},
		{"a second apart minus 1 ms", []int{0, 999, 2000}, 2},
		{"burst", []int{0, 100, 200, 300, 1500}, 4},
		{"burst late", []int{0, 1500, 1600, 2499}, 3},
	} {
		if got := maxInWindow(at(c.ms...), nil, time.Second); got != c.want {
			t.Errorf("%s: maxInWindow = %d, want %d", c.name, got, c.want)
		}
	}
	if got := maxInWindow(at(0, 500, 1200), []int{10, 20, 40}, time.Second); got != 60 {
		t.Errorf("weighted maxInWindow = %d, want 60", got)
	}
	if got := minGap(at(0, 1000, 1990, 3000)); got != 990*time.Millisecond {
		t.Errorf("minGap = %v, want 990ms", got)
	}
}

func TestMarker(t *testing.T) {
	if n, ok := marker("http://127.0.0.1:1/load/p3?v=12&t=1732464000123456789"); !ok || n != 1732464000123456789 {
		t.Errorf("marker = %d %v", n, ok)
	}
	for _, u := range []string{"http://127.0.0.1/demo/", "http://x/?t=12", "http://x/?v=1&t=abc"} {
		if _, ok := marker(u); ok {
			t.Errorf("marker(%q) found one", u)
		}
	}
}

// TestConsoleNote checks the staleness bookkeeping: a row counts once per
// new marker, a removed row leaves the count, a reset starts over.
func TestConsoleNote(t *testing.T) {
	c := &console{seen: map[int64]int64{}}
	at := time.Unix(0, 5_000_000_000)
	frame := func(reset bool, remove string, rows ...[2]int64) []byte {
		up := ""
		for i, r := range rows {
			if i > 0 {
				up += ","
			}
			up += fmt.Sprintf(`{"id":%d,"page":{"url":"http://127.0.0.1/load/p1?v=1&t=%d"}}`, r[0], r[1])
		}
		return []byte(fmt.Sprintf(`{"remove":[%s],"reset":%v,"server_time":null,"type":"visitors","upsert":[%s]}`, remove, reset, up))
	}
	c.note(at, frame(true, "", [2]int64{1, 1_000_000_000}, [2]int64{2, 4_000_000_000}))
	c.note(at, frame(false, "", [2]int64{1, 1_000_000_000})) // same marker: not a new sample
	c.note(at, frame(false, "2", [2]int64{3, 4_500_000_000}))
	c.note(at, []byte(`{"type":"operator","operator":{"id":1}}`))
	frames, stale, rows, _ := c.snapshot()
	if len(frames) != 4 || !frames[0].reset || frames[3].visitors {
		t.Fatalf("frames = %+v", frames)
	}
	if len(stale) != 3 || rows != 2 {
		t.Fatalf("stale = %v, rows = %d; want 3 samples, 2 rows", stale, rows)
	}
	res := operatorResultOf(1, frames, stale, time.Unix(0, 0), time.Unix(10, 0))
	if res.Frames != 3 || res.Samples != 3 || res.Upserts != 4 || res.MaxPerSecond != 3 {
		t.Errorf("operatorResultOf = %+v", res)
	}
	if got := float64(stale[0].arrived-stale[0].sent) / 1e6; got != 4000 {
		t.Errorf("staleness = %v ms, want 4000", got)
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:18383", "http://localhost:8080/x", "http://127.4.5.6"} {
		if _, err := loopbackBase(ok); err != nil {
			t.Errorf("loopbackBase(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1:80", "http://example.com", "https://127.0.0.1", "http://[::1]:80", "http://0.0.0.0:1"} {
		if _, err := loopbackBase(bad); err == nil {
			t.Errorf("loopbackBase(%q) accepted it", bad)
		}
	}
	addrs, err := sourceAddrs("127.0.0.254", 1)
	if err != nil || addrs[0].IP.String() != "127.0.0.254" {
		t.Errorf("sourceAddrs = %v, %v", addrs, err)
	}
	if _, err := sourceAddrs("127.0.0.254", 2); err == nil {
		t.Error("sourceAddrs ran onto 127.0.0.255")
	}
	if _, err := sourceAddrs("192.168.1.2", 1); err == nil {
		t.Error("sourceAddrs accepted a non-loopback base")
	}
}

func TestParseGC(t *testing.T) {
	g, ok := parseGC("gc 12 @30.250s 1%: 0.1+2.7+0.004 ms clock, 0.3+0.8/0.4/2.1+0.008 ms cpu, 85->88->41 MB, 90 MB goal, 9 MB stacks, 0 MB globals, 2 P (forced)")
	if !ok || g.N != 12 || g.AtSec != 30.25 || g.LiveMB != 41 || g.GoalMB != 90 || g.StacksMB != 9 || !g.Forced {
		t.Errorf("parseGC = %+v, %v", g, ok)
	}
	if _, ok := parseGC(`time=2026-11-24T16:12:21Z level=INFO msg="shutting down"`); ok {
		t.Error("parseGC read a log line")
	}
}
