package app_test

import (
	"fmt"
	"testing"

	"outputdesk/internal/desk"
	"outputdesk/internal/realtime"
)

// A client sending endless distinct page ids (a single-page site gone
// wrong, or an attacker) moves the visitor's row but stores at most
// desk.MaxPageViews page views for the visit.
func TestPageViewsPerVisitBounded(t *testing.T) {
	s := startServer(t)
	// The flood here is of page ids, not of frames: lift the frame limit
	// that would slow and then close a client sending 550 frames at once.
	off := realtime.FrameLimit{Rate: 1e9, Burst: 1 << 30, Strikes: 1 << 30}
	s.app.SetFrameLimits(off, off)
	admin := s.firstAdmin()
	w := s.visitor("/demo/")
	id := w.visitorID()
	n := desk.MaxPageViews + 50
	for i := 0; i < n; i++ {
		w.send(map[string]any{"type": "page", "page": map[string]any{"id": fmt.Sprintf("flood-%d", i),
			"url": fmt.Sprintf("%s/demo/product#%d", s.base, i), "title": fmt.Sprintf("Page %d", i)}, "visible": true})
	}
	w.sync()
	var pages struct {
		Visitor struct {
			PagesViewed int `json:"pages_viewed"`
			Page        struct {
				Title string `json:"title"`
			} `json:"page"`
		} `json:"visitor"`
		Pages []struct{ Title string }
	}
	admin.mustDo("GET", fmt.Sprintf("/api/visitors/%d/pages", id), nil, 200, &pages)
	if len(pages.Pages) != desk.MaxPageViews {
		t.Errorf("%d page views stored after %d pages, want %d", len(pages.Pages), n+1, desk.MaxPageViews)
	}
	if pages.Visitor.PagesViewed != desk.MaxPageViews {
		t.Errorf("pages viewed = %d, want %d", pages.Visitor.PagesViewed, desk.MaxPageViews)
	}
	if want := fmt.Sprintf("Page %d", n-1); pages.Visitor.Page.Title != want {
		t.Errorf("current page = %q, want %q: past the limit the visitor still moves", pages.Visitor.Page.Title, want)
	}
}
