package operators

import (
	"testing"

	"outputdesk/internal/desk"
)

func TestAvailability(t *testing.T) {
	var flips []bool
	a := &Availability{Changed: func(on bool) { flips = append(flips, on) }}
	if a.Online() {
		t.Fatal("online with nobody heard")
	}
	a.Heard(1, desk.StatusAway)
	a.Heard(1, desk.StatusOnline)
	a.Heard(2, desk.StatusOnline)
	a.Heard(1, desk.StatusOffline)
	if !a.Online() {
		t.Fatal("offline while operator 2 is Online")
	}
	a.Heard(2, desk.StatusAway)
	if a.Online() {
		t.Fatal("online with everyone Away or Offline")
	}
	if len(flips) != 2 || !flips[0] || flips[1] {
		t.Fatalf("flips = %v, want [true false]", flips)
	}
}
