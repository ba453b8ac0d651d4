package bus_test

import (
	"testing"

	"outputdesk/internal/bus"
	"outputdesk/internal/bus/bustest"
)

func TestMemoryConformance(t *testing.T) {
	bustest.Run(t, func(t *testing.T) (bus.Bus, string) {
		b := bus.NewMemory()
		t.Cleanup(func() { b.Close() })
		return b, "test"
	})
}
