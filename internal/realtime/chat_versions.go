package realtime

import (
	"sync"
	"time"

	"outputdesk/internal/desk"
)

// chatVersions remembers the newest version of each chat this node has
// shown. Two changes of one chat made on two nodes (or by two goroutines)
// are published by each after its own commit, so their events can arrive
// in either order; the older must not overwrite the newer on any screen.
type chatVersions struct {
	mu     sync.Mutex
	latest map[int64]chatMark
}

type chatMark struct {
	version int64
	ended   time.Time // zero while open
}

// An ended chat's mark is kept this long: late copies arrive within
// milliseconds, and a day of ended chats need not be remembered.
const endedMarkTTL = time.Minute

// fresh reports whether c is not older than the newest copy shown, and
// remembers it if it is the newest.
func (v *chatVersions) fresh(c desk.Chat, now time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.latest == nil {
		v.latest = map[int64]chatMark{}
	}
	m, seen := v.latest[c.ID]
	if seen && c.Version < m.version {
		return false
	}
	m.version = c.Version
	if !c.Open() && m.ended.IsZero() {
		m.ended = now
	}
	v.latest[c.ID] = m
	if len(v.latest) > 4096 && len(v.latest)%1024 == 0 {
		for id, m := range v.latest {
			if !m.ended.IsZero() && now.Sub(m.ended) > endedMarkTTL {
				delete(v.latest, id)
			}
		}
	}
	return true
}
