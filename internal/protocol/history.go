package protocol

import (
	"time"

	"outputdesk/internal/desk"
)

// History is what a chat object carries for History (issue 12, point 6):
// who ended it and why, in words, and its times. A rating member will
// join them once chats can be rated; until then there is none.
type History struct {
	EndedByText          *string `json:"ended_by_text"`
	FirstAssignedAt      Time    `json:"first_assigned_at"`
	FirstResponseAt      Time    `json:"first_response_at"`
	WaitSeconds          *int64  `json:"wait_seconds"`
	FirstResponseSeconds *int64  `json:"first_response_seconds"`
	DurationSeconds      *int64  `json:"duration_seconds"`
}

// HistoryOf is c's History members.
func HistoryOf(c desk.Chat) History {
	h := History{FirstAssignedAt: Time(c.FirstAssignedAt), FirstResponseAt: Time(c.FirstResponseAt)}
	if t := desk.EndedByText(c); t != "" {
		h.EndedByText = &t
	}
	h.WaitSeconds = seconds(desk.WaitTime(c))
	h.FirstResponseSeconds = seconds(desk.FirstResponseTime(c))
	h.DurationSeconds = seconds(desk.ChatDuration(c))
	return h
}

// seconds is a duration in whole seconds (rounded down), or null.
func seconds(d time.Duration, ok bool) *int64 {
	if !ok {
		return nil
	}
	s := int64(d / time.Second)
	return &s
}

// Report is GET /api/reports: "Reports" for a period.
type Report struct {
	From        string           `json:"from"`
	To          string           `json:"to"`
	TimeZone    string           `json:"time_zone"`
	Chats       int              `json:"chats"`
	Missed      int              `json:"missed"`
	PerDay      []ReportDay      `json:"per_day"`
	PerHour     []int            `json:"per_hour"`
	PerOperator []ReportOperator `json:"per_operator"`
	Wait        ReportTimes      `json:"wait"`
	Response    ReportTimes      `json:"first_response"`
	Duration    ReportTimes      `json:"duration"`
	// Ratings counts the "Rate this chat" answers of the period's chats.
	Ratings ReportRatings `json:"ratings"`
}

// ReportRatings are a period's ratings.
type ReportRatings struct {
	Good int `json:"good"`
	Bad  int `json:"bad"`
}

// ReportDay is one day of a report.
type ReportDay struct {
	Date   string `json:"date"`
	Chats  int    `json:"chats"`
	Missed int    `json:"missed"`
}

// ReportOperator is one operator's chats in a report.
type ReportOperator struct {
	Operator OperatorRef `json:"operator"`
	Chats    int         `json:"chats"`
}

// ReportTimes are a duration's percentiles in whole seconds, over the
// chats that have it; null when none has.
type ReportTimes struct {
	Chats      int    `json:"chats"`
	P50Seconds *int64 `json:"p50_seconds"`
	P90Seconds *int64 `json:"p90_seconds"`
}

// ReportOf renders r for the period p; names maps operator ids to names.
func ReportOf(r desk.Report, p desk.Period, names map[int64]string) Report {
	out := Report{From: p.Start.Format(time.DateOnly), To: p.End.AddDate(0, 0, -1).Format(time.DateOnly), TimeZone: p.Loc.String(),
		Chats: r.Chats, Missed: r.Missed, PerDay: make([]ReportDay, len(r.PerDay)), PerHour: r.PerHour[:],
		PerOperator: make([]ReportOperator, len(r.PerOperator)),
		Wait:        timesOf(r.Wait), Response: timesOf(r.FirstResponse), Duration: timesOf(r.Spent)}
	for i, d := range r.PerDay {
		out.PerDay[i] = ReportDay{Date: d.Date, Chats: d.Chats, Missed: d.Missed}
	}
	for i, o := range r.PerOperator {
		out.PerOperator[i] = ReportOperator{Operator: OperatorRef{ID: o.OperatorID, Name: names[o.OperatorID]}, Chats: o.Chats}
	}
	return out
}

func timesOf(p desk.Percentiles) ReportTimes {
	if p.Count == 0 {
		return ReportTimes{}
	}
	p50, p90 := p.P50, p.P90
	return ReportTimes{Chats: p.Count, P50Seconds: &p50, P90Seconds: &p90}
}
