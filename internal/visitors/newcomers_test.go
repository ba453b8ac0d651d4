package visitors

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/store"
	"outputdesk/internal/store/sqlite"
	"outputdesk/internal/testwait"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

type newcomersFixture struct {
	t     *testing.T
	st    store.Store
	clock *clock.Fake
	n     *newcomers
	site  desk.Site
}

func newNewcomers(t *testing.T, wait time.Duration) *newcomersFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "od.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	site, err := st.EnsureSite(ctx, desk.Site{Key: "pk_test", Name: "Test", AllowedOrigins: []string{"*"}, CreatedAt: t0},
		desk.Settings{ChatRule: desk.ChatRuleManual, InvitationText: desk.DefaultInvitationText, InactivityTimeout: time.Minute, LeftTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	f := &newcomersFixture{t: t, st: st, clock: clock.NewFake(t0), site: site}
	f.n = &newcomers{store: st, clock: f.clock, wait: wait, life: ctx}
	return f
}

type made struct {
	v   desk.Visitor
	err error
}

// arrive starts creating a visitor with token hash h; its result comes on
// the channel once committed.
func (f *newcomersFixture) arrive(h string) <-chan made {
	out := make(chan made, 1)
	nv := store.NewVisitor{Visitor: desk.Visitor{SiteID: f.site.ID, TokenHash: h, Name: h, CreatedAt: t0},
		First: desk.PageView{VisitID: "visit-" + h, PageID: "p-" + h, Page: desk.Page{URL: "https://shop.example/" + h}, StartedAt: t0}}
	go func() {
		v, err := f.n.create(nv)
		out <- made{v, err}
	}()
	return out
}

func (f *newcomersFixture) waitFor(pending int) {
	f.t.Helper()
	testwait.Until(f.t, fmt.Sprintf("%d new visitors waiting", pending), func() bool { return f.n.waiting() == pending })
}

func (f *newcomersFixture) result(ch <-chan made) made {
	f.t.Helper()
	expired, stop := testwait.Expiry(f.t)
	defer stop()
	select {
	case m := <-ch:
		return m
	case <-expired:
		f.t.Fatal(testwait.GaveUp(f.t, "a new visitor's commit"))
	}
	return made{}
}

// The visitors arriving within the wait share one commit, made when the
// wait runs out: none is stored before, all are after, each with its id
// and its first page.
func TestNewcomersShareTheWait(t *testing.T) {
	f := newNewcomers(t, time.Second)
	a, b, c := f.arrive("ha"), f.arrive("hb"), f.arrive("hc")
	f.waitFor(3)
	if _, err := f.st.VisitorByToken(context.Background(), f.site.ID, "ha"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("before the wait ran out: VisitorByToken = %v, want not found", err)
	}
	f.clock.Advance(time.Second)
	seen := map[int64]bool{}
	for h, ch := range map[string]<-chan made{"ha": a, "hb": b, "hc": c} {
		m := f.result(ch)
		if m.err != nil || m.v.ID == 0 || seen[m.v.ID] {
			t.Fatalf("%s: %+v, %v (ids so far %v)", h, m.v, m.err, seen)
		}
		seen[m.v.ID] = true
		pvs, err := f.st.PageViews(context.Background(), m.v.ID, "visit-"+h)
		if err != nil || len(pvs) != 1 || pvs[0].PageID != "p-"+h {
			t.Fatalf("%s's first page: %+v, %v", h, pvs, err)
		}
	}
	if f.n.waiting() != 0 {
		t.Fatalf("%d still waiting", f.n.waiting())
	}
	// the next one starts a wait of its own
	d := f.arrive("hd")
	f.waitFor(1)
	f.clock.Advance(time.Second)
	if m := f.result(d); m.err != nil || m.v.ID == 0 {
		t.Fatalf("the next one: %+v, %v", m.v, m.err)
	}
}

// A full batch is written at once, without waiting for the clock.
func TestNewcomersFullBatchGoesAtOnce(t *testing.T) {
	f := newNewcomers(t, time.Hour)
	var chans []<-chan made
	for i := range maxNewcomers - 1 {
		chans = append(chans, f.arrive(fmt.Sprintf("h%d", i)))
	}
	f.waitFor(maxNewcomers - 1)
	chans = append(chans, f.arrive("last"))
	for i, ch := range chans {
		if m := f.result(ch); m.err != nil || m.v.ID == 0 {
			t.Fatalf("visitor %d: %+v, %v", i, m.v, m.err)
		}
	}
}

// One visitor the store refuses (its token is taken) fails alone: the
// others of its batch are written.
func TestNewcomersRefusedOneFailsAlone(t *testing.T) {
	f := newNewcomers(t, time.Second)
	first := f.arrive("taken")
	f.waitFor(1)
	f.clock.Advance(time.Second)
	if m := f.result(first); m.err != nil {
		t.Fatal(m.err)
	}
	a, dup, b := f.arrive("h1"), f.arrive("taken"), f.arrive("h2")
	f.waitFor(3)
	f.clock.Advance(time.Second)
	if m := f.result(dup); desk.CodeOf(m.err) != desk.CodeConflict {
		t.Fatalf("the taken token: err = %v, want a conflict", m.err)
	}
	for h, ch := range map[string]<-chan made{"h1": a, "h2": b} {
		m := f.result(ch)
		if m.err != nil || m.v.ID == 0 {
			t.Fatalf("%s beside a refused one: %+v, %v", h, m.v, m.err)
		}
		if got, err := f.st.VisitorByToken(context.Background(), f.site.ID, h); err != nil || got.ID != m.v.ID {
			t.Fatalf("%s stored: %+v, %v", h, got, err)
		}
	}
}

// At shutdown the waiting ones are written without waiting for the clock,
// and a later one is written at once.
func TestNewcomersStopWritesTheWaiting(t *testing.T) {
	f := newNewcomers(t, time.Hour)
	a := f.arrive("ha")
	f.waitFor(1)
	f.n.stop()
	if m := f.result(a); m.err != nil || m.v.ID == 0 {
		t.Fatalf("waiting at stop: %+v, %v", m.v, m.err)
	}
	if m := f.result(f.arrive("hb")); m.err != nil || m.v.ID == 0 {
		t.Fatalf("after stop: %+v, %v", m.v, m.err)
	}
}

// With no wait each is written alone, at once.
func TestNewcomersNoWait(t *testing.T) {
	f := newNewcomers(t, 0)
	if m := f.result(f.arrive("ha")); m.err != nil || m.v.ID == 0 {
		t.Fatalf("%+v, %v", m.v, m.err)
	}
}
