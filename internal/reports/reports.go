// Package reports is "Reports" and History's CSV export (issue 12, points
// 6 and 7): it reads the period's chats from the store's report index,
// lets desk count them, and renders the numbers. Any operator of the site
// may read them.
package reports

import (
	"context"
	"time"
	_ "time/tzdata" // the console names its IANA time zone; a host may lack the database

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// Store is what the service reads.
type Store interface {
	store.Reports
	Operators(ctx context.Context, siteID int64) ([]desk.Operator, error)
	Operator(ctx context.Context, id int64) (desk.Operator, error)
	ListChats(ctx context.Context, f store.ChatFilter) ([]desk.Chat, error)
	RatingCounts(ctx context.Context, siteID int64, from, to time.Time) (good, bad int, err error)
}

// Deps are what the service needs.
type Deps struct {
	Store Store
	Clock clock.Clock
}

// Service answers GET /api/reports and GET /api/chats.csv.
type Service struct{ d Deps }

func New(d Deps) *Service { return &Service{d: d} }

// MaxExportRows bounds one CSV export; narrow the filters for more.
const MaxExportRows = 100_000

// TimeZone reads a time zone's IANA name ("Europe/Berlin"); "" is UTC.
func TimeZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, desk.Errorf(desk.CodeInvalid, "tz must be an IANA time zone such as Europe/Berlin")
	}
	return loc, nil
}

// Report is "Reports" for the days from to to (both included, "" for the
// last 7 days) in the time zone tz.
func (s *Service) Report(ctx context.Context, op desk.Operator, from, to, tz string) (protocol.Report, error) {
	loc, err := TimeZone(tz)
	if err != nil {
		return protocol.Report{}, err
	}
	p, err := desk.DatePeriod(from, to, loc, s.d.Clock.Now())
	if err != nil {
		return protocol.Report{}, err
	}
	b := desk.NewReport(p)
	if err := s.d.Store.ReportChats(ctx, op.SiteID, p.Start, p.End, b.Add); err != nil {
		return protocol.Report{}, err
	}
	ops, err := s.d.Store.Operators(ctx, op.SiteID)
	if err != nil {
		return protocol.Report{}, err
	}
	names := make(map[int64]string, len(ops))
	for _, o := range ops {
		names[o.ID] = o.Name
	}
	out := protocol.ReportOf(b.Report(), p, names)
	out.Ratings.Good, out.Ratings.Bad, err = s.d.Store.RatingCounts(ctx, op.SiteID, p.Start, p.End)
	return out, err
}

// Export is History's list for a CSV file: the filtered chats, newest
// first, up to MaxExportRows (or f.Limit when set).
func (s *Service) Export(ctx context.Context, op desk.Operator, f store.ChatFilter) ([]desk.Chat, error) {
	f.SiteID = op.SiteID
	if f.Limit <= 0 || f.Limit > MaxExportRows {
		f.Limit = MaxExportRows
	}
	if err := store.OperatorOfSite(ctx, s.d.Store, op.SiteID, f.OperatorID); err != nil {
		return nil, err
	}
	return s.d.Store.ListChats(ctx, f)
}
