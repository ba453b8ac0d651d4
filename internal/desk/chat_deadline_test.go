package desk

import (
	"testing"
	"time"
)

func TestDeadline(t *testing.T) {
	to := Timeouts{Inactivity: 20 * time.Minute, Left: 20 * time.Minute}
	tests := []struct {
		name    string
		chat    Chat
		t       Timeouts
		wantAt  time.Time
		wantWhy EndReason
	}{
		{"from the chat's start", Chat{VisitorActiveAt: t0}, to, t0.Add(20 * time.Minute), EndInactivity},
		{"from the last visitor message", Chat{VisitorActiveAt: t0.Add(5 * time.Minute)}, to, t0.Add(25 * time.Minute), EndInactivity},
		{"left: the earlier of the two", Chat{VisitorActiveAt: t0, VisitorLeftAt: t0.Add(time.Minute)}, Timeouts{Inactivity: 20 * time.Minute, Left: 5 * time.Minute}, t0.Add(6 * time.Minute), EndLeft},
		{"left but inactivity comes first", Chat{VisitorActiveAt: t0, VisitorLeftAt: t0.Add(10 * time.Minute)}, to, t0.Add(20 * time.Minute), EndInactivity},
	}
	for _, tc := range tests {
		at, why := Deadline(tc.chat, tc.t)
		if !at.Equal(tc.wantAt) || why != tc.wantWhy {
			t.Errorf("%s: Deadline = %v %s, want %v %s", tc.name, at, why, tc.wantAt, tc.wantWhy)
		}
	}
}

func TestEndText(t *testing.T) {
	if EndText(EndCancel) != "Chat Ended" || EndText(EndInactivity) != "Due to inactivity, chat has ended" || EndText(EndLeft) != "Due to inactivity, chat has ended" {
		t.Fatal("end texts differ from SPEC 5")
	}
}
