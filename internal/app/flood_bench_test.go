package app_test

// How much a flooding client costs everyone else (issue 10, point 4). Run:
//
//	go test -run '^$' -bench BenchmarkNeighboursOfAFlood -benchtime 1000x ./internal/app
//
// Each sub-benchmark starts a server (SQLite, real clocks), connects 10
// calm visitors who each send a message every 200 ms and wait for its ack,
// and reports the ack's p50 and p99. "alone" has no flood; "flood"
// adds a client that sends messages as fast as it can, reconnecting with
// its token whenever it is closed, under the default frame limits;
// "flood-unlimited" is the same flood with the limits off, to show what
// they save.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/app"
	"outputdesk/internal/config"
	"outputdesk/internal/realtime"
)

func BenchmarkNeighboursOfAFlood(b *testing.B) {
	for _, sc := range []struct {
		name    string
		flood   bool
		limited bool
	}{{"alone", false, true}, {"flood", true, true}, {"flood-unlimited", true, false}} {
		b.Run(sc.name, func(b *testing.B) { benchFlood(b, sc.flood, sc.limited) })
	}
}

func benchFlood(b *testing.B, flood, limited bool) {
	cfg, err := config.Load([]string{"--addr", "127.0.0.1:0", "--data-dir", b.TempDir(), "--log-level", "error"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, app.Options{Out: io.Discard, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BcryptCost: 4})
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Start(); err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if !limited {
		off := realtime.FrameLimit{Rate: 1e9, Burst: 1 << 30, Strikes: 1 << 30}
		a.SetFrameLimits(off, off)
	}
	base := "http://" + a.Addr()
	key := benchSiteKey(b, base)

	stop := make(chan struct{})
	var flooded atomic.Int64
	var wg sync.WaitGroup
	if flood {
		wg.Add(1)
		go func() { defer wg.Done(); floodServer(base, key, stop, &flooded) }()
	}
	const calm = 10
	vs := make([]*benchVisitor, calm)
	for i := range vs {
		vs[i] = dialBenchVisitor(b, base, key, "")
	}
	var mu sync.Mutex
	var lat []time.Duration
	b.ResetTimer()
	start := time.Now()
	var calmWG sync.WaitGroup
	for i, v := range vs {
		n := b.N / calm
		if i < b.N%calm {
			n++
		}
		calmWG.Add(1)
		go func() {
			defer calmWG.Done()
			mine := make([]time.Duration, 0, n)
			// A person's pace, well within the frame limit: 5 messages a
			// second each, 50 for the ten.
			tick := time.NewTicker(200 * time.Millisecond)
			defer tick.Stop()
			for j := 0; j < n; j++ {
				<-tick.C
				t0 := time.Now()
				if err := v.say(fmt.Sprintf("calm %d", j)); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	calmWG.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(stop)
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		return
	}
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50_ms")
	b.ReportMetric(pct(0.99), "p99_ms")
	b.ReportMetric(float64(flooded.Load())/elapsed.Seconds(), "flood_acks/s")
	b.ReportMetric(0, "ns/op") // per-message time is the p50/p99 above
}

func benchSiteKey(b *testing.B, base string) string {
	res, err := http.Get(base + "/demo/")
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`data-site-key="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		b.Fatal("no site key in the demo page")
	}
	return string(m[1])
}

type benchVisitor struct {
	ws    *websocket.Conn
	token string
	n     int
}

func dialBenchVisitor(b *testing.B, base, key, token string) *benchVisitor {
	v, err := dialVisitor(base, key, token)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

func dialVisitor(base, key, token string) (*benchVisitor, error) {
	u := strings.Replace(base, "http", "ws", 1) + "/ws/visitor?site_key=" + url.QueryEscape(key)
	ws, _, err := websocket.DefaultDialer.Dial(u, http.Header{"Origin": {base}})
	if err != nil {
		return nil, err
	}
	ws.WriteJSON(map[string]any{"type": "hello", "token": token, "page": map[string]any{"id": "p", "url": base + "/demo/", "title": "Home"}, "visible": true})
	for {
		var f map[string]any
		if err := ws.ReadJSON(&f); err != nil {
			return nil, err
		}
		if f["type"] == "welcome" {
			t, _ := f["token"].(string)
			return &benchVisitor{ws: ws, token: t}, nil
		}
	}
}

// say sends a message and waits for its ack.
func (v *benchVisitor) say(body string) error {
	v.n++
	ref := fmt.Sprintf("r%d", v.n)
	if err := v.ws.WriteJSON(map[string]any{"type": "message.send", "ref": ref, "client_id": fmt.Sprintf("%s-%d", v.token, v.n), "body": body}); err != nil {
		return err
	}
	for {
		_, data, err := v.ws.ReadMessage()
		if err != nil {
			return err
		}
		var f struct{ Type, Ref string }
		json.Unmarshal(data, &f)
		if f.Ref == ref {
			if f.Type != "ack" {
				return fmt.Errorf("answer %s", data)
			}
			return nil
		}
	}
}

// floodServer sends messages without waiting, as fast as the socket takes
// them, and reconnects (keeping its token) whenever the server closes it.
func floodServer(base, key string, stop <-chan struct{}, acks *atomic.Int64) {
	token := ""
	n := 0
	for {
		select {
		case <-stop:
			return
		default:
		}
		v, err := dialVisitor(base, key, token)
		if err != nil {
			continue
		}
		token = v.token
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				_, data, err := v.ws.ReadMessage()
				if err != nil {
					return
				}
				if strings.Contains(string(data), `"type":"ack"`) {
					acks.Add(1)
				}
			}
		}()
		go func() {
			select {
			case <-stop:
				v.ws.Close()
			case <-done:
			}
		}()
		for {
			n++
			err := v.ws.WriteJSON(map[string]any{"type": "message.send", "ref": fmt.Sprintf("f%d", n), "client_id": fmt.Sprintf("%s-f%d", token, n), "body": "flood"})
			if err != nil {
				break
			}
		}
		v.ws.Close()
		<-done
	}
}
