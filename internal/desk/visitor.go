package desk

import (
	"time"
	"unicode/utf8"
)

// Visitor is a browser on the site; its tabs share one identity.
type Visitor struct {
	ID        int64
	SiteID    int64
	TokenHash string
	Name      string // "Visitor K3F9QD" until they give one
	Email     string // "" until they give one
	UserAgent string
	CreatedAt time.Time
}

// Page is where a visitor is.
type Page struct {
	URL      string
	Title    string
	Referrer string
}

// Longest stored page fields; longer values are cut.
const (
	MaxURLBytes   = 2048
	MaxTitleBytes = 512
)

// Clean cuts over-long fields at a rune boundary.
func (p Page) Clean() Page {
	return Page{URL: cut(p.URL, MaxURLBytes), Title: cut(p.Title, MaxTitleBytes), Referrer: cut(p.Referrer, MaxURLBytes)}
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// MaxPageViews is the most page views kept for one visit. Past it a page
// change still moves the visitor (presence, the Visitor List row) but is
// neither stored nor counted: a client sending endless page ids cannot grow
// the database without limit.
const MaxPageViews = 500

// PageView is one page a visitor looked at during a visit.
type PageView struct {
	ID        int64
	VisitorID int64
	VisitID   string
	PageID    string // the page load's id: a reconnect on it is the same view
	Page      Page
	StartedAt time.Time
}
