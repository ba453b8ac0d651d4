package web

import (
	"testing"
)

// The widget's size budgets (issue 13): the loader runs on every page of a
// customer's site, the panel only when a visitor opens it. The sizes are
// of the gzip files served (dist/widget/*.gz, what browsers download).
var budgets = map[string]int{
	"dist/widget/widget.js.gz": 3 * 1024,  // the loader, on every page
	"dist/widget/panel.js.gz":  15 * 1024, // the panel, fetched on open
}

func TestWidgetBudgets(t *testing.T) {
	for name, limit := range budgets {
		b, err := Files.ReadFile(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %d bytes of %d", name, len(b), limit)
		if len(b) > limit {
			t.Errorf("%s is %d bytes gzip, over its budget of %d", name, len(b), limit)
		}
	}
}
