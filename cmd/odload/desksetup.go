package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"sort"
	"sync"
	"time"
)

// deskRun is what the routing and messages modes share: the admin's
// session, the load operators' sessions and consoles, and the error tally.
type deskRun struct {
	o       options
	base    *url.URL
	conBase *url.URL // where the consoles connect: base, or --mode messages' ConsoleURL
	admin   *apiClient
	siteKey string
	ops     []*apiClient // load operator i's session
	cons    []*peer      // and its console
	errs    *tally
	t0      time.Time
	notes   []string
}

func newDeskRun(o options) (*deskRun, error) {
	base, err := loopbackBase(o.URL)
	if err != nil {
		return nil, err
	}
	conBase := base
	if o.ConsoleURL != "" {
		if conBase, err = loopbackBase(o.ConsoleURL); err != nil {
			return nil, err
		}
	}
	return &deskRun{o: o, base: base, conBase: conBase, errs: newTally(), t0: time.Now()}, nil
}

func (d *deskRun) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(d.t0).Seconds(), fmt.Sprintf(format, args...))
}

func (d *deskRun) note(format string, args ...any) {
	d.notes = append(d.notes, fmt.Sprintf(format, args...))
}

// setUp makes the site route automatically to the load operators, each
// with room for --chat-limit chats, and clears chats left open by an
// earlier run, so that every chat of this run finds the same room.
func (d *deskRun) setUp(ctx context.Context) error {
	admin, err := login(ctx, d.base, d.o.AdminEmail, d.o.AdminPassword)
	if err != nil {
		return fmt.Errorf("admin login: %w", err)
	}
	d.admin = admin
	if d.siteKey, err = admin.siteKey(ctx); err != nil {
		return err
	}
	if err := admin.ensureOperators(ctx, d.o.Operators, d.o.OperatorPass); err != nil {
		return fmt.Errorf("creating operators: %w", err)
	}
	if err := admin.configureOperators(ctx, d.o.Operators, d.o.ChatLimit); err != nil {
		return err
	}
	if err := admin.do(ctx, "PATCH", "/api/settings", map[string]any{"chat_rule": "Automatic"}, nil, 200); err != nil {
		return fmt.Errorf("setting the chat rule to Automatic: %w", err)
	}
	ended, err := admin.endOpenChats(ctx)
	if err != nil {
		return fmt.Errorf("ending chats left open: %w", err)
	}
	if ended > 0 {
		d.note("ended %d chats left open before the run", ended)
	}
	d.logf("chat rule Automatic; %d operators with chat limit %d; %d open chats ended first", d.o.Operators, d.o.ChatLimit, ended)
	return nil
}

// openConsoles logs each load operator in and opens its console, so the
// operator is Online; handler(i) reads console i's frames.
func (d *deskRun) openConsoles(ctx context.Context, handler func(i int) func(time.Time, *inFrame)) error {
	for i := 0; i < d.o.Operators; i++ {
		c, err := login(ctx, d.conBase, operatorEmail(i), d.o.OperatorPass)
		if err != nil {
			return fmt.Errorf("operator %d login: %w", i+1, err)
		}
		p, err := dialConsole(ctx, c, d.o.Compress, handler(i), func(err error) {
			d.errs.add("console socket ended: " + dropKey(err))
		})
		if err != nil {
			return fmt.Errorf("console %d: %w", i+1, err)
		}
		d.ops, d.cons = append(d.ops, c), append(d.cons, p)
	}
	d.logf("%d consoles open on %s (Visitor List off)", len(d.cons), d.conBase.Host)
	return nil
}

// visitorDial is how this run's chatting visitors connect: from the first
// source address (they are few).
func (d *deskRun) visitorDial() (visitorDial, error) {
	srcs, err := sourceAddrs(d.o.SourceBase, 1)
	return visitorDial{base: d.base, siteKey: d.siteKey, origin: d.o.Origin, srcs: srcs}, err
}

func (d *deskRun) closeConsoles() {
	for _, p := range d.cons {
		p.close()
	}
}

// configureOperators gives load operators 1..n the chat limit and priority
// level 1, so Automatic routing spreads chats by load alone.
func (c *apiClient) configureOperators(ctx context.Context, n, limit int) error {
	var list struct {
		Operators []struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
		} `json:"operators"`
	}
	if err := c.do(ctx, "GET", "/api/operators", nil, &list, 200); err != nil {
		return err
	}
	ids := map[string]int64{}
	for _, o := range list.Operators {
		ids[o.Email] = o.ID
	}
	for i := 0; i < n; i++ {
		id, ok := ids[operatorEmail(i)]
		if !ok {
			return fmt.Errorf("operator %s is missing", operatorEmail(i))
		}
		body := map[string]any{"chat_limit": limit, "priority_level": 1}
		if err := c.do(ctx, "PATCH", fmt.Sprintf("/api/operators/%d", id), body, nil, 200); err != nil {
			return fmt.Errorf("setting operator %d's chat limit: %w", i+1, err)
		}
	}
	return nil
}

// endOpenChats ends every waiting and active chat of the site (an admin
// may end any chat), so a run starts with every operator's room free.
func (c *apiClient) endOpenChats(ctx context.Context) (int, error) {
	ended := 0
	for _, state := range []string{"waiting", "active"} {
		for round := 0; round < 1000; round++ {
			var page struct {
				Chats []struct {
					ID int64 `json:"id"`
				} `json:"chats"`
			}
			if err := c.do(ctx, "GET", "/api/chats?limit=200&state="+state, nil, &page, 200); err != nil {
				return ended, err
			}
			before := ended
			for _, ch := range page.Chats {
				// a chat that ended meanwhile answers 409; only others fail
				err := c.do(ctx, "POST", fmt.Sprintf("/api/chats/%d/end", ch.ID), nil, nil, 200)
				if err != nil && ctx.Err() != nil {
					return ended, err
				}
				if err == nil {
					ended++
				}
			}
			if ended == before { // none left, or none that can be ended
				break
			}
		}
	}
	return ended, nil
}

// tally counts errors by kind, from any goroutine.
type tally struct {
	mu sync.Mutex
	n  map[string]int
}

func newTally() *tally { return &tally{n: map[string]int{}} }

func (t *tally) add(kind string) {
	t.mu.Lock()
	t.n[kind]++
	t.mu.Unlock()
}

// snapshot is the counts, and their total.
func (t *tally) snapshot() (map[string]int, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	out, total := make(map[string]int, len(t.n)), 0
	for k, v := range t.n {
		out[k] = v
		total += v
	}
	return out, total
}

// sortedKeys is m's keys in order, so reports print the same way each time.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
