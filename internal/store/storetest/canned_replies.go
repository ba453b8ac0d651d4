package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/desk"
)

// testCannedReplies: shared replies are every operator's, personal ones
// their owner's; a shortcut is unique, regardless of case, within its
// scope only; updates keep the owner; unknown ids are not found.
func testCannedReplies(t *testing.T, f *fixture) {
	ann, bob := f.operator("Anna Berg", 1, 2), f.operator("Bob Stone", 1, 2)
	mk := func(owner int64, shortcut, text string) (desk.CannedReply, error) {
		return f.s.CreateCannedReply(f.ctx, desk.CannedReply{SiteID: f.site.ID, OwnerID: owner, Shortcut: shortcut, Text: text, CreatedAt: t0, UpdatedAt: t0})
	}
	must := func(owner int64, shortcut, text string) desk.CannedReply {
		t.Helper()
		r, err := mk(owner, shortcut, text)
		f.must(err)
		if r.ID == 0 || r.OwnerID != owner || r.Shortcut != shortcut {
			t.Fatalf("created %+v", r)
		}
		return r
	}
	list := func(owner int64) string {
		t.Helper()
		rs, err := f.s.CannedReplies(f.ctx, f.site.ID, owner)
		f.must(err)
		s := ""
		for _, r := range rs {
			if r.SiteID != f.site.ID {
				t.Fatalf("a reply of site %d listed for site %d", r.SiteID, f.site.ID)
			}
			s += fmt.Sprintf("%s:%d ", r.Shortcut, r.OwnerID)
		}
		return s
	}

	ship := must(0, "ship", "We ship in 2 days, {visitor}.")
	must(0, "Hello", "Hello!")
	annShip := must(ann.ID, "ship", "Anna's own shipping answer") // a personal one may share a shared shortcut
	must(ann.ID, "bye", "Bye from {operator}")
	must(bob.ID, "bye", "Bob's bye") // another operator's scope

	if got, want := list(ann.ID), fmt.Sprintf("bye:%d Hello:0 ship:0 ship:%d ", ann.ID, ann.ID); got != want {
		t.Fatalf("Anna's list: %q, want %q (by shortcut regardless of case; shared first)", got, want)
	}
	if got, want := list(bob.ID), fmt.Sprintf("bye:%d Hello:0 ship:0 ", bob.ID); got != want {
		t.Fatalf("Bob's list: %q, want %q", got, want)
	}
	if got := list(0); got != "Hello:0 ship:0 " {
		t.Fatalf("shared only: %q", got)
	}

	// clashes, regardless of case, within a scope
	for _, tc := range []struct {
		owner    int64
		shortcut string
	}{{0, "SHIP"}, {ann.ID, "Bye"}, {bob.ID, "bye"}} {
		if _, err := mk(tc.owner, tc.shortcut, "x"); !errors.Is(err, desk.ErrConflict) {
			t.Errorf("a second %q of owner %d: %v, want conflict", tc.shortcut, tc.owner, err)
		}
	}

	got, err := f.s.CannedReply(f.ctx, f.site.ID, ship.ID)
	f.must(err)
	if got.Text != ship.Text || !got.CreatedAt.Equal(t0) || !got.Shared() {
		t.Fatalf("read back %+v", got)
	}
	if _, err := f.s.CannedReply(f.ctx, f.site.ID+1, ship.ID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("another site's reply: %v", err)
	}

	// update: shortcut, text and time; the owner stays whatever is passed
	later := t0.Add(time.Minute)
	up, err := f.s.UpdateCannedReply(f.ctx, desk.CannedReply{ID: annShip.ID, SiteID: f.site.ID, OwnerID: 0, Shortcut: "shipping", Text: "new text", UpdatedAt: later})
	f.must(err)
	if up.OwnerID != ann.ID || up.Shortcut != "shipping" || up.Text != "new text" || !up.UpdatedAt.Equal(later) || !up.CreatedAt.Equal(t0) {
		t.Fatalf("updated %+v", up)
	}
	if _, err := f.s.UpdateCannedReply(f.ctx, desk.CannedReply{ID: up.ID, SiteID: f.site.ID, OwnerID: ann.ID, Shortcut: "BYE", Text: "x", UpdatedAt: later}); !errors.Is(err, desk.ErrConflict) {
		t.Fatalf("renaming onto another of one's own: %v", err)
	}
	if _, err := f.s.UpdateCannedReply(f.ctx, desk.CannedReply{ID: 424242, SiteID: f.site.ID, Shortcut: "x", Text: "x"}); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("updating an unknown reply: %v", err)
	}

	f.must(f.s.DeleteCannedReply(f.ctx, f.site.ID, ship.ID))
	if err := f.s.DeleteCannedReply(f.ctx, f.site.ID, ship.ID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, err := f.s.CannedReply(f.ctx, f.site.ID, ship.ID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("a deleted reply: %v", err)
	}
	must(0, "ship", "the shortcut is free again")

	// two admins create the same shortcut at once: exactly one gets it
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = mk(0, "race", fmt.Sprintf("from %d", i))
		}()
	}
	wg.Wait()
	okCount := 0
	for _, err := range errs {
		switch {
		case err == nil:
			okCount++
		case !errors.Is(err, desk.ErrConflict):
			t.Errorf("racing create: %v", err)
		}
	}
	if okCount != 1 {
		t.Fatalf("%d racing creates of one shortcut succeeded: %v", okCount, errs)
	}
}
