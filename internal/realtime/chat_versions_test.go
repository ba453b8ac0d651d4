package realtime

import (
	"testing"
	"time"

	"outputdesk/internal/desk"
)

func TestChatVersionsDropOlderCopies(t *testing.T) {
	var v chatVersions
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	chat := func(id, version int64, state desk.ChatState) desk.Chat {
		return desk.Chat{ID: id, Version: version, State: state}
	}
	steps := []struct {
		c    desk.Chat
		want bool
	}{
		{chat(1, 0, desk.ChatWaiting), true},
		{chat(1, 2, desk.ChatEnded), true},   // the end overtook the assignment
		{chat(1, 1, desk.ChatActive), false}, // the assignment, late
		{chat(1, 2, desk.ChatEnded), true},   // the same copy again (another subject)
		{chat(2, 1, desk.ChatActive), true},  // another chat is its own
	}
	for i, s := range steps {
		if got := v.fresh(s.c, now); got != s.want {
			t.Fatalf("step %d: fresh(chat %d v%d) = %v, want %v", i, s.c.ID, s.c.Version, got, s.want)
		}
	}
}

func TestChatVersionsForgetEndedChats(t *testing.T) {
	var v chatVersions
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for id := int64(1); id <= 5000; id++ {
		v.fresh(desk.Chat{ID: id, Version: 3, State: desk.ChatEnded}, now)
	}
	open := desk.Chat{ID: 9000, Version: 5, State: desk.ChatActive}
	v.fresh(open, now)
	later := now.Add(2 * endedMarkTTL)
	for id := int64(10000); id < 13000; id++ {
		v.fresh(desk.Chat{ID: id, Version: 0, State: desk.ChatWaiting}, later)
	}
	if len(v.latest) > 4096 {
		t.Fatalf("%d marks kept; ended chats a minute old should have gone", len(v.latest))
	}
	if v.fresh(desk.Chat{ID: 9000, Version: 4, State: desk.ChatActive}, later) {
		t.Fatal("an open chat's mark was forgotten")
	}
}
