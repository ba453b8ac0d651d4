package desk

import (
	"slices"
	"sort"
	"time"
)

// MaxReportDays bounds a report's period (and a History date range is
// not bounded: it only narrows).
const MaxReportDays = 366

// Period is a run of whole days in a time zone: [Start, End).
type Period struct {
	Start, End time.Time
	Loc        *time.Location
	// DayStarts are the first instant of each day, in order (a day is not
	// always 24 hours long: daylight saving time).
	DayStarts []time.Time
}

// DatePeriod reads from and to ("YYYY-MM-DD", both days included) as days
// in loc. An empty from or to means the last 7 days up to today (now in
// loc): an empty to is today, an empty from is 6 days before to.
func DatePeriod(from, to string, loc *time.Location, now time.Time) (Period, error) {
	var p Period
	if loc == nil {
		loc = time.UTC
	}
	p.Loc = loc
	toDay, err := parseDay("to", to, loc, now.In(loc))
	if err != nil {
		return p, err
	}
	fromDay, err := parseDay("from", from, loc, toDay.AddDate(0, 0, -6))
	if err != nil {
		return p, err
	}
	if fromDay.After(toDay) {
		return p, Errorf(CodeInvalid, "from (%s) is after to (%s)", fromDay.Format(time.DateOnly), toDay.Format(time.DateOnly))
	}
	for d := fromDay; !d.After(toDay); d = d.AddDate(0, 0, 1) {
		if len(p.DayStarts) == MaxReportDays {
			return p, Errorf(CodeInvalid, "A period is at most %d days", MaxReportDays)
		}
		p.DayStarts = append(p.DayStarts, d)
	}
	p.Start, p.End = fromDay, toDay.AddDate(0, 0, 1)
	return p, nil
}

// parseDay is the first instant of the day s names in loc, or of def's day
// when s is empty.
func parseDay(name, s string, loc *time.Location, def time.Time) (time.Time, error) {
	if s == "" {
		return time.Date(def.Year(), def.Month(), def.Day(), 0, 0, 0, 0, loc), nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return t, Errorf(CodeInvalid, "%s must be a date such as 2026-11-24", name)
	}
	return t, nil
}

// ReportChat is what a report reads of one chat: the chat row's own
// columns, never its messages.
type ReportChat struct {
	CreatedAt, FirstAssignedAt, FirstResponseAt, EndedAt time.Time
	OperatorID                                           int64
}

// Percentiles of a duration over a report's chats, in whole seconds.
type Percentiles struct {
	Count    int // chats that have the duration
	P50, P90 int64
}

// DayCount is one day of a report.
type DayCount struct {
	Date   string // YYYY-MM-DD in the report's time zone
	Chats  int
	Missed int
}

// OperatorCount is one operator's chats in a report.
type OperatorCount struct {
	OperatorID int64
	Chats      int
}

// Report is "Reports" for a period: chats started in it, by day and hour
// of day in the period's time zone, missed chats, and the percentiles of
// wait, first response and duration.
type Report struct {
	Chats, Missed              int
	PerDay                     []DayCount
	PerHour                    [24]int
	PerOperator                []OperatorCount // most chats first, then by id
	Wait, FirstResponse, Spent Percentiles     // Spent: the chats' durations
}

// ReportBuilder adds chats one at a time (a report may read a million).
type ReportBuilder struct {
	p                        Period
	r                        Report
	wait, response, duration []int64 // milliseconds
	perOperator              map[int64]int
}

// NewReport starts a report over p.
func NewReport(p Period) *ReportBuilder {
	b := &ReportBuilder{p: p, perOperator: map[int64]int{}}
	b.r.PerDay = make([]DayCount, len(p.DayStarts))
	for i, d := range p.DayStarts {
		b.r.PerDay[i].Date = d.Format(time.DateOnly)
	}
	return b
}

// Add counts one chat started in the period; others are ignored.
func (b *ReportBuilder) Add(c ReportChat) {
	if c.CreatedAt.Before(b.p.Start) || !c.CreatedAt.Before(b.p.End) {
		return
	}
	b.r.Chats++
	day := sort.Search(len(b.p.DayStarts), func(i int) bool { return b.p.DayStarts[i].After(c.CreatedAt) }) - 1
	b.r.PerDay[day].Chats++
	b.r.PerHour[c.CreatedAt.In(b.p.Loc).Hour()]++
	if !c.EndedAt.IsZero() && c.FirstAssignedAt.IsZero() {
		b.r.Missed++
		b.r.PerDay[day].Missed++
	}
	if c.OperatorID != 0 {
		b.perOperator[c.OperatorID]++
	}
	add := func(dst *[]int64, end time.Time) {
		if d, ok := since(c.CreatedAt, end); ok {
			*dst = append(*dst, d.Milliseconds())
		}
	}
	add(&b.wait, c.FirstAssignedAt)
	add(&b.response, c.FirstResponseAt)
	add(&b.duration, c.EndedAt)
}

// Report is what was added.
func (b *ReportBuilder) Report() Report {
	r := b.r
	r.Wait, r.FirstResponse, r.Spent = percentiles(b.wait), percentiles(b.response), percentiles(b.duration)
	r.PerOperator = make([]OperatorCount, 0, len(b.perOperator))
	for id, n := range b.perOperator {
		r.PerOperator = append(r.PerOperator, OperatorCount{OperatorID: id, Chats: n})
	}
	slices.SortFunc(r.PerOperator, func(a, b OperatorCount) int {
		if a.Chats != b.Chats {
			return b.Chats - a.Chats
		}
		return int(a.OperatorID - b.OperatorID)
	})
	return r
}

// percentiles are by nearest rank: p50 is the smallest value at least half
// the chats are at or below, so it is always one chat's real value.
func percentiles(ms []int64) Percentiles {
	if len(ms) == 0 {
		return Percentiles{}
	}
	slices.Sort(ms)
	rank := func(p int) int64 { return ms[(p*len(ms)+99)/100-1] / 1000 }
	return Percentiles{Count: len(ms), P50: rank(50), P90: rank(90)}
}
