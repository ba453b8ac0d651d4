package presence_test

import (
	"testing"
	"time"

	"outputdesk/internal/clock"
	"outputdesk/internal/presence"
	"outputdesk/internal/presence/presencetest"
)

// Memory is one node on its own: it runs the suite's single-node cases.
func TestMemoryConformance(t *testing.T) {
	presencetest.Run(t, func(t *testing.T, _ *clock.Fake, _ time.Duration) presencetest.Cluster {
		return presencetest.Cluster{Open: func() presencetest.Node {
			return presencetest.Node{Presence: presence.NewMemory()}
		}}
	})
}
