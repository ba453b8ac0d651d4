package main

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseBenchLists(t *testing.T) {
	if s, err := parseStores(" sqlite , postgres"); err != nil || len(s) != 2 || s[1] != "postgres" {
		t.Errorf("parseStores = %v, %v", s, err)
	}
	for _, bad := range []string{"mysql", "", " , "} {
		if _, err := parseStores(bad); err == nil {
			t.Errorf("parseStores(%q) accepted it", bad)
		}
	}
	if h, err := parseCounts("0,1000000"); err != nil || len(h) != 2 || h[1] != 1000000 {
		t.Errorf("parseCounts = %v, %v", h, err)
	}
	for _, bad := range []string{"-1", "1e6", ""} {
		if _, err := parseCounts(bad); err == nil {
			t.Errorf("parseCounts(%q) accepted it", bad)
		}
	}
}

func TestLoopbackPG(t *testing.T) {
	u, err := loopbackPG("postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	if got := withDatabase(u, "odbench_ab12"); got != "postgres://postgres@127.0.0.1:5432/odbench_ab12?sslmode=disable" {
		t.Errorf("withDatabase = %q", got)
	}
	if _, err := loopbackPG("postgresql://u:p@localhost/x"); err != nil {
		t.Errorf("localhost refused: %v", err)
	}
	for _, bad := range []string{"postgres://db.example.com/x", "mysql://127.0.0.1/x", "postgres://10.0.0.5/x"} {
		if _, err := loopbackPG(bad); err == nil {
			t.Errorf("loopbackPG(%q) accepted it", bad)
		}
	}
}

func TestBenchFlags(t *testing.T) {
	bo, err := parseBenchFlags([]string{"--bin", "/x/outputdesk", "--history", "0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o := bo.load
	if o.Duration != 30*time.Second || o.Visitors != 500 || o.ChatRate != 1000 || o.MsgRate != 1000 || o.ChatLimit != 50 || o.IdleVisitors != 5000 || o.ActiveChats != 100 {
		t.Errorf("bench-store defaults = %+v", o)
	}
	if o.AdminEmail == "" || o.AdminPassword == "" || len(bo.Stores) != 2 {
		t.Errorf("admin %q/%q, stores %v", o.AdminEmail, o.AdminPassword, bo.Stores)
	}
	if _, err := parseBenchFlags([]string{"--bin", "/x/outputdesk"}, io.Discard); err == nil || !strings.Contains(err.Error(), "--seed-bin") {
		t.Errorf("a history of 1000000 without --seed-bin: %v", err)
	}
	if _, err := parseBenchFlags([]string{"--history", "0"}, io.Discard); err == nil {
		t.Error("no --bin accepted")
	}
}

func TestModeFlags(t *testing.T) {
	o, err := parseFlags([]string{"--mode", "routing", "--admin-email", "a@b.c", "--admin-password", "12345678"}, io.Discard)
	if err != nil || o.Visitors != 500 {
		t.Errorf("routing: visitors %d, %v; want the pool default 500", o.Visitors, err)
	}
	o, err = parseFlags([]string{"--mode", "routing", "--visitors", "40", "--admin-email", "a@b.c", "--admin-password", "12345678"}, io.Discard)
	if err != nil || o.Visitors != 40 {
		t.Errorf("routing --visitors 40: %d, %v", o.Visitors, err)
	}
	o, err = parseFlags([]string{"--admin-email", "a@b.c", "--admin-password", "12345678"}, io.Discard)
	if err != nil || o.Mode != "visitors" || o.Visitors != 5000 {
		t.Errorf("default mode: %q, %d visitors, %v", o.Mode, o.Visitors, err)
	}
	if _, err := parseFlags([]string{"--mode", "chats", "--admin-email", "a@b.c", "--admin-password", "12345678"}, io.Discard); err == nil {
		t.Error("--mode chats accepted")
	}
}

func TestSummaryTable(t *testing.T) {
	rr := &routingReport{Opts: options{ChatRate: 1000}, Start: time.Unix(0, 0), End: time.Unix(10, 0), Started: 500, Skipped: 9500,
		Chats:  chatStats{Acked: 480, Assigned: 470, AssignedInWindow: 400, Latency: quantiles{N: 470, P50: 12.5, P90: 40, P99: 250, Max: 1234}},
		Server: serverUse{Measured: true, Cores: 0.8123, RSSEndKB: 64 * 1024}}
	mr := &messagesReport{Opts: options{MsgRate: 1000}, Start: time.Unix(0, 0), End: time.Unix(10, 0), Chats: 100, IdleVisitors: 5000,
		Msgs: msgStats{Sent: 10000, Received: 9990, ReceivedInWindow: 9900, Lost: 10, Latency: quantiles{N: 9990, P50: 1.234, P90: 2, P99: 9.87, Max: 300}}}
	rows := []summaryRow{rr.summary("sqlite", 0), mr.summary("sqlite", 0), failedRow("postgres", 1000000, "routing", errors.New("no\n--database-url | yet"))}
	if got := rows[0].cells(); strings.Join(got[3:12], " ") != "1000 40.0 470/500 30 12.5 40.0 250 1234 0" || got[12] != "0.81" || got[13] != "64" {
		t.Errorf("routing cells = %q", got)
	}
	if got := rows[1].cells(); strings.Join(got[3:11], " ") != "1000 990.0 9990/10000 10 1.23 2.00 9.87 300" || got[12] != "-" {
		t.Errorf("messages cells = %q", got)
	}
	md := markdownSummary(rows)
	lines := strings.Split(strings.TrimSpace(md), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[1], "|---|") {
		t.Fatalf("markdown =\n%s", md)
	}
	for _, l := range lines {
		if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != len(summaryHeader)+1 {
			t.Errorf("%d column separators in %q, want %d", n, l, len(summaryHeader)+1)
		}
	}
	if !strings.Contains(lines[4], `FAILED: no --database-url \| yet`) {
		t.Errorf("failed row = %q", lines[4])
	}
	var b strings.Builder
	printSummary(&b, rows)
	if !strings.Contains(b.String(), "470/500") {
		t.Errorf("text table:\n%s", b.String())
	}
}

func TestLatText(t *testing.T) {
	if got := latText(quantiles{}); got != "no samples" {
		t.Errorf("empty = %q", got)
	}
	if got := latText(quantiles{N: 3, P50: 1.234, P90: 45.67, P99: 123.4, Max: 5000}); got != "p50 1.23, p90 45.7, p99 123, max 5000 ms (3 samples)" {
		t.Errorf("latText = %q", got)
	}
}
