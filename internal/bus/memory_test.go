package bus_test

import (
	"testing"

	"outputdesk/internal/bus"
	"outputdesk/internal/bus/bustest"
)

func TestMemoryConformance(t *testing.T) {
	bustest.Run(t, func(t *testing.T) func() bus.Bus {
		// One process is one node: every "node" of a test is the same bus.
		b := bus.NewMemory()
		t.Cleanup(func() { b.Close() })
		return func() bus.Bus { return b }
	})
}
