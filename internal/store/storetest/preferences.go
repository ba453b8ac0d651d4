package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/desk"
)

// testPreferences: an operator has no saved preferences until a change;
// the first change starts from the defaults it is given; later changes set
// only what they name; each operator's are their own.
func testPreferences(t *testing.T, f *fixture) {
	ann, bob := f.operator("Anna Berg", 1, 2), f.operator("Bob Stone", 1, 2)
	if _, err := f.s.Preferences(f.ctx, ann.ID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("preferences before any change: %v, want not found", err)
	}
	off, on := false, true
	got, err := f.s.ChangePreferences(f.ctx, desk.DefaultPreferences(ann.ID), desk.PreferencesChange{Sound: &off}, t0)
	f.must(err)
	want := desk.DefaultPreferences(ann.ID)
	want.Sound, want.UpdatedAt = false, t0
	if got != want {
		t.Fatalf("after the first change %+v, want %+v", got, want)
	}
	if read, err := f.s.Preferences(f.ctx, ann.ID); err != nil || read != want {
		t.Fatalf("read back %+v (%v), want %+v", read, err, want)
	}

	// A later change sets what it names and keeps the rest, whatever base says.
	later := t0.Add(time.Minute)
	got, err = f.s.ChangePreferences(f.ctx, desk.DefaultPreferences(ann.ID), desk.PreferencesChange{NewTicket: &off, Message: &off, TitleCount: &on}, later)
	f.must(err)
	want.NewTicket, want.Message, want.UpdatedAt = false, false, later
	if got != want {
		t.Fatalf("after the second change %+v, want %+v", got, want)
	}

	// An empty change only touches UpdatedAt.
	got, err = f.s.ChangePreferences(f.ctx, desk.DefaultPreferences(ann.ID), desk.PreferencesChange{}, later.Add(time.Second))
	f.must(err)
	want.UpdatedAt = later.Add(time.Second)
	if got != want {
		t.Fatalf("after an empty change %+v, want %+v", got, want)
	}

	// Bob's are his own.
	if _, err := f.s.Preferences(f.ctx, bob.ID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("Bob's preferences after Anna's changes: %v, want not found", err)
	}
	got, err = f.s.ChangePreferences(f.ctx, desk.DefaultPreferences(bob.ID), desk.PreferencesChange{BrowserNotifications: &off, Assigned: &off}, t0)
	f.must(err)
	if got.OperatorID != bob.ID || got.BrowserNotifications || got.Assigned || !got.Sound || !got.Message {
		t.Fatalf("Bob's %+v", got)
	}
	if read, _ := f.s.Preferences(f.ctx, ann.ID); read != want {
		t.Fatalf("Anna's changed by Bob's: %+v, want %+v", read, want)
	}
}

// testRacePreferences: six changes at once, each of another member, on an
// operator with no row yet: every one stays (none is lost to another's
// insert or update), on every store.
func testRacePreferences(t *testing.T, f *fixture) {
	for round := range 3 {
		op := f.operator("Racer", 1, 1)
		off := false
		changes := []desk.PreferencesChange{{Sound: &off}, {BrowserNotifications: &off}, {TitleCount: &off}, {NewTicket: &off}, {Assigned: &off}, {Message: &off}}
		var wg sync.WaitGroup
		errs := make(chan error, len(changes))
		for _, c := range changes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.s.ChangePreferences(f.ctx, desk.DefaultPreferences(op.ID), c, t0)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			f.must(err)
		}
		got, err := f.s.Preferences(f.ctx, op.ID)
		f.must(err)
		if want := (desk.Preferences{OperatorID: op.ID, UpdatedAt: t0}); got != want {
			t.Fatalf("round %d: after six changes at once %+v, want every member off", round, got)
		}
	}
}
