package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for odload when a test starts
// workers (--worker) or the floor (floor): both run os.Executable().
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "--worker" {
		if err := runWorker(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "odload worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if code, ok := subcommand(os.Args[1:]); ok {
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestIdleFloor measures the floor with a few visitors, as bench-idle
// does, and checks that every reading was taken and the visitors counted
// the floor's pings.
func TestIdleFloor(t *testing.T) {
	o := idleOptions{Visitors: 20, RampRate: 200, Rounds: 1, Hold: 2 * time.Second, PingEvery: 50 * time.Millisecond,
		PerProcess: 9000, SourceBase: "127.0.0.2", StartTimeout: time.Minute}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r := runIdle(ctx, o, serverFloor, 1)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if r.Connected != 20 || r.Failed != 0 {
		t.Errorf("connected %d, failed %d", r.Connected, r.Failed)
	}
	if r.Pings == 0 {
		t.Error("no ping counted in the hold")
	}
	if r.RSSBeforeKB == 0 || r.RSSAfterKB == 0 || r.HoldSecs < 2 || r.ConnectSecs == 0 {
		t.Errorf("readings missing: %+v", r)
	}
	for name, v := range map[string]runtimeView{"before": r.Before, "before GC": r.BeforeGC, "after": r.After, "after GC": r.AfterGC} {
		if v.HeapInuse == 0 || v.HeapAlloc == 0 || v.StackInuse == 0 || v.NextGC == 0 || v.Goroutines == 0 {
			t.Errorf("runtime view %s = %+v", name, v)
		}
	}
	// one goroutine a socket: the handler's; a scrape's own goroutines
	// come and go, so a few either way are noise
	if g, _ := r.goroutines(); g < 0.8 {
		t.Errorf("goroutines per visitor = %.2f", g)
	}
	res := &idleResults{o: o, rounds: [][2]*idleRun{{r, {Server: serverDesk, Round: 1, Err: errors.New("not run")}}}}
	out := res.markdown()
	if !strings.Contains(out, "| visitors connected / failed | - | 20 / 0 | |") || !strings.Contains(out, "Output Desk, round 1: FAILED: not run") {
		t.Errorf("report:\n%s", out)
	}
}

// TestIdleReport checks the per-visitor arithmetic and the ratios, and
// that Output Desk's figures go out only beside the floor's.
func TestIdleReport(t *testing.T) {
	const mib = 1 << 20
	run := func(server string, rssKB int64, heapMiB, cpuS float64, pings int64) *idleRun {
		return &idleRun{Server: server, Round: 1, Asked: 1000, Connected: 1000, Failed: 0,
			RSSBeforeKB: 10000, RSSAfterKB: 10000 + rssKB,
			Before:   runtimeView{HeapInuse: 4 * mib, StackInuse: 1 * mib, Goroutines: 10, NextGC: 4 * mib},
			After:    runtimeView{HeapInuse: (4 + heapMiB) * mib, StackInuse: 9 * mib, Goroutines: 1010, NextGC: 16 * mib},
			BeforeGC: runtimeView{HeapAlloc: 2 * mib}, AfterGC: runtimeView{HeapAlloc: (2 + heapMiB/2) * mib},
			ConnectCPU: cpuS, ConnectSecs: 2, HoldCPU: cpuS * 3, HoldSecs: 60, Pings: pings}
	}
	floor := run(serverFloor, 9200, 4, 0.3, 2400)
	desk := run(serverDesk, 29900, 10, 0.9, 2400)
	res := &idleResults{o: idleOptions{Visitors: 1000, RampRate: 500, Hold: time.Minute, PingEvery: 25 * time.Second}, rounds: [][2]*idleRun{{floor, desk}}}
	out := res.markdown()
	for _, want := range []string{
		"| RSS per idle visitor (KiB) | 29.9 | 9.2 | 3.25× |",
		"| Go heap in use per visitor (KiB) | 10.2 | 4.1 | 2.50× |",
		"| live heap after GC per visitor (KiB) | 5.1 | 2.0 | 2.50× |",
		"| stack per visitor (KiB) | 8.2 | 8.2 | 1.00× |",
		"| goroutines per visitor | 1.00 | 1.00 | 1.00× |",
		"| idle CPU (% of a core) | 4.50 | 1.50 | 3.00× |",
		"| CPU per connect (ms) | 0.900 | 0.300 | 3.00× |",
		"| pings per visitor during the hold | 2.40 | 2.40 | 1.00× |",
		"| visitors connected / failed | 1,000 / 0 | 1,000 / 0 | |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// a second round whose floor failed: the medians are of the first
	res.rounds = append(res.rounds, [2]*idleRun{{Server: serverFloor, Round: 2, Err: errors.New("boom")}, {Server: serverDesk, Round: 2, Err: errors.New("not run")}})
	out = res.markdown()
	if !strings.Contains(out, "### Median of 2 rounds") || strings.Count(out, "| RSS per idle visitor (KiB) | 29.9 | 9.2 | 3.25× |") != 2 ||
		!strings.Contains(out, "| RSS per idle visitor (KiB) | - | - | - |") {
		t.Errorf("two rounds:\n%s", out)
	}
	if !res.failed() {
		t.Error("a failed round is not a failed run")
	}
}

func TestIdleFlags(t *testing.T) {
	o, err := parseIdleFlags([]string{"--bin", "/x/outputdesk"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.Visitors != 15000 || o.RampRate != 500 || o.Rounds != 1 || o.Settle != 10*time.Second || o.Hold != time.Minute || o.PingEvery != 25*time.Second || o.AdminEmail == "" {
		t.Errorf("defaults = %+v", o)
	}
	for _, bad := range [][]string{{}, {"--bin", "/x", "--hold", "0s"}, {"--bin", "/x", "--source-base", "10.0.0.2"}, {"--bin", "/x", "--rounds", "0"}} {
		if _, err := parseIdleFlags(bad, io.Discard); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := parseFloorFlags([]string{"--addr", "0.0.0.0:1"}, io.Discard); err == nil {
		t.Error("the floor accepted a listener off loopback")
	}
}

func TestParseRuntime(t *testing.T) {
	text := `# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 15012
go_memstats_heap_alloc_bytes 1.2345e+08
go_memstats_heap_inuse_bytes 1.5e+08
go_memstats_stack_inuse_bytes 6.2e+07
go_memstats_next_gc_bytes 2.1e+08
go_gc_duration_seconds{quantile="0"} 1e-05
`
	v, err := parseRuntime(text)
	if err != nil || v.Goroutines != 15012 || v.HeapAlloc != 1.2345e8 || v.HeapInuse != 1.5e8 || v.StackInuse != 6.2e7 || v.NextGC != 2.1e8 {
		t.Errorf("parseRuntime = %+v, %v", v, err)
	}
	if _, err := parseRuntime("go_goroutines 3\n"); err == nil {
		t.Error("a scrape without the memory metrics accepted")
	}
}
