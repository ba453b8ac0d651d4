package visitorlist_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/clock"
	"outputdesk/internal/protocol"
	"outputdesk/internal/testwait"
	"outputdesk/internal/visitorlist"
)

// console is a real WebSocket: the list writes its prepared frames to the
// server side, and the test reads them from the client side, in order.
type console struct {
	server *websocket.Conn
	client *websocket.Conn
	mu     sync.Mutex
}

func (c *console) SendPrepared(pm *websocket.PreparedMessage, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.server.WritePreparedMessage(pm)
}

func newConsole(t *testing.T) *console {
	conns := make(chan *websocket.Conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		conns <- ws
	}))
	t.Cleanup(srv.Close)
	client, _, err := websocket.DefaultDialer.Dial(strings.Replace(srv.URL, "http", "ws", 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &console{server: <-conns, client: client}
	t.Cleanup(func() { client.Close(); c.server.Close() })
	return c
}

// setReadDeadline bounds the console's reads as every wait of the tests
// is bounded, so a missing frame fails naming itself.
func setReadDeadline(t *testing.T, c *console) {
	c.client.SetReadDeadline(testwait.GiveUpAt(t)) // zero: none
}

type visitorsFrame struct {
	Reset  bool
	Upsert []struct {
		ID   int64
		Name string
	}
	Remove []int64
}

// view applies n frames as the console does: a reset, then the batches.
func (c *console) view(t *testing.T, n int) map[int64]string {
	view := map[int64]string{}
	setReadDeadline(t, c)
	for i := range n {
		var f visitorsFrame
		if err := c.client.ReadJSON(&f); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if i == 0 != f.Reset {
			t.Fatalf("frame %d has reset %v", i, f.Reset)
		}
		for _, id := range f.Remove {
			delete(view, id)
		}
		for _, r := range f.Upsert {
			view[r.ID] = r.Name
		}
	}
	return view
}

func row(id int64, name string) *protocol.VisitorRow { return &protocol.VisitorRow{ID: id, Name: name} }

// A late console gets the list as of the last batch, then each batch.
func TestLateConsoleThenBatches(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	l := visitorlist.New(clk, time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))
	l.Upsert(row(1, "one"))
	l.Upsert(row(2, "two"))
	clk.Advance(time.Second)
	l.Upsert(row(3, "not yet")) // waits for the next batch
	c := newConsole(t)
	l.Subscribe(c)
	l.Remove(1)
	clk.Advance(time.Second)
	got := c.view(t, 2)
	want := map[int64]string{2: "two", 3: "not yet"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("view %v, want %v", got, want)
	}
}

// Consoles joining while batches flow end up with exactly the list: the
// batches made while their whole list was being encoded come after it, in
// order, none lost.
func TestJoiningWhileBatchesFlow(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	l := visitorlist.New(clk, time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))
	want := map[int64]string{}
	for id := range int64(5000) {
		l.Upsert(row(id, "v0"))
		want[id] = "v0"
	}
	clk.Advance(time.Second)
	cs := []*console{newConsole(t), newConsole(t), newConsole(t)}
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Go(func() { l.Subscribe(c) })
	}
	const batches = 30
	for b := 1; b <= batches; b++ {
		name := fmt.Sprintf("v%d", b)
		l.Upsert(row(int64(b), name))
		want[int64(b)] = name
		l.Remove(int64(4000 + b))
		delete(want, int64(4000+b))
		clk.Advance(time.Second)
	}
	wg.Wait()
	for i, c := range cs {
		// the reset, then however many batches came after the list it shows:
		// read until the last batch's change is in
		got := map[int64]string{}
		setReadDeadline(t, c)
		for first := true; got[batches] != fmt.Sprintf("v%d", batches) || got[4000+batches] != ""; first = false {
			var f visitorsFrame
			if err := c.client.ReadJSON(&f); err != nil {
				t.Fatalf("console %d: %v", i, err)
			}
			if first != f.Reset {
				t.Fatalf("console %d: reset %v on frame first=%v", i, f.Reset, first)
			}
			for _, id := range f.Remove {
				delete(got, id)
			}
			for _, r := range f.Upsert {
				got[r.ID] = r.Name
			}
		}
		if len(got) != len(want) {
			t.Fatalf("console %d has %d rows, want %d", i, len(got), len(want))
		}
		for id, name := range want {
			if got[id] != name {
				t.Fatalf("console %d: row %d is %q, want %q", i, id, got[id], name)
			}
		}
	}
}

// pausingClock stops the next caller of Now until released: the late
// console's encoding reads the clock outside the lock, so the test can run
// batches exactly while it is encoding.
type pausingClock struct {
	*clock.Fake
	mu      sync.Mutex
	pause   bool
	entered chan struct{}
	release chan struct{}
}

func (p *pausingClock) Now() time.Time {
	p.mu.Lock()
	pause := p.pause
	p.pause = false
	p.mu.Unlock()
	if pause {
		close(p.entered)
		<-p.release
	}
	return p.Fake.Now()
}

// Batches made while a console's whole list is being encoded reach it
// after the list, in order.
func TestBatchesDuringTheEncodingComeAfterIt(t *testing.T) {
	clk := &pausingClock{Fake: clock.NewFake(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)), entered: make(chan struct{}), release: make(chan struct{})}
	l := visitorlist.New(clk, time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))
	l.Upsert(row(1, "one"))
	l.Upsert(row(2, "two"))
	clk.Advance(time.Second)
	c := newConsole(t)
	clk.mu.Lock()
	clk.pause = true
	clk.mu.Unlock()
	done := make(chan struct{})
	go func() { l.Subscribe(c); close(done) }()
	<-clk.entered // encoding, outside the lock
	l.Upsert(row(3, "three"))
	clk.Advance(time.Second)
	l.Remove(1)
	clk.Advance(time.Second)
	close(clk.release)
	<-done
	got := c.view(t, 3)
	want := map[int64]string{2: "two", 3: "three"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("view %v, want %v", got, want)
	}
}
