package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// runtimeView is the Go runtime as a server's /metrics shows it (the Go
// collector of client_golang, which Output Desk and the floor both serve).
type runtimeView struct {
	HeapInuse  float64 // go_memstats_heap_inuse_bytes
	HeapAlloc  float64 // go_memstats_heap_alloc_bytes
	StackInuse float64 // go_memstats_stack_inuse_bytes
	NextGC     float64 // go_memstats_next_gc_bytes
	Goroutines float64 // go_goroutines
}

// runtimeMetrics maps each metric read to its field.
var runtimeMetrics = map[string]func(*runtimeView) *float64{
	"go_memstats_heap_inuse_bytes":  func(v *runtimeView) *float64 { return &v.HeapInuse },
	"go_memstats_heap_alloc_bytes":  func(v *runtimeView) *float64 { return &v.HeapAlloc },
	"go_memstats_stack_inuse_bytes": func(v *runtimeView) *float64 { return &v.StackInuse },
	"go_memstats_next_gc_bytes":     func(v *runtimeView) *float64 { return &v.NextGC },
	"go_goroutines":                 func(v *runtimeView) *float64 { return &v.Goroutines },
}

var metricsClient = &http.Client{Timeout: 30 * time.Second}

// metricsGet reads one page of a server's metrics listener.
func metricsGet(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	res, err := metricsClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != 200 {
		err = fmt.Errorf("GET %s: %s", url, res.Status)
	}
	return body, err
}

// readRuntime scrapes base/metrics.
func readRuntime(ctx context.Context, base string) (runtimeView, error) {
	body, err := metricsGet(ctx, base+"/metrics")
	if err != nil {
		return runtimeView{}, err
	}
	return parseRuntime(string(body))
}

// forceGC has the server collect its garbage: the heap profile with gc=1
// runs runtime.GC first, and its sweep is done when the answer comes. The
// text form (debug=1) leaves less garbage behind than the gzipped one.
func forceGC(ctx context.Context, base string) error {
	_, err := metricsGet(ctx, base+"/debug/pprof/heap?gc=1&debug=1")
	return err
}

// parseRuntime reads the runtime view from Prometheus's text format; the
// metrics it wants carry no labels.
func parseRuntime(text string) (runtimeView, error) {
	var v runtimeView
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		field, ok := runtimeMetrics[f[0]]
		if !ok {
			continue
		}
		n, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return v, fmt.Errorf("metric %s: %w", f[0], err)
		}
		*field(&v) = n
		seen[f[0]] = true
	}
	for name := range runtimeMetrics {
		if !seen[name] {
			return v, fmt.Errorf("the server's /metrics has no %s", name)
		}
	}
	return v, sc.Err()
}
