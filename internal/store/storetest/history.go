package storetest

import (
	"slices"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// knownHistory is a seeded history whose History times and report numbers
// are worked out by hand (seconds after each chat's start):
//
//	chat  day, hour (UTC)  operator  wait  response  duration  ended
//	A     1, 09            Anna        30        90       600  by the visitor
//	B     1, 09            John        60       120      1200  by John
//	C     2, 14            Anna       120         —      1200  inactivity
//	D     2, 14            —            —         —       300  by the visitor (missed)
//	E     3, 23            —            —         —         —  still waiting
//	F     6, 10            John        10        20        60  by John (after the period)
type knownHistory struct {
	day1                 time.Time
	anna, john           desk.Operator
	a, b, c, d, e, chatF desk.Chat
}

func seedKnownHistory(f *fixture) knownHistory {
	f.t.Helper()
	h := knownHistory{day1: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	h.anna, h.john = f.operator("Anna Berg", 1, 5), f.operator("John Mathews", 1, 5)
	sec := func(n int) time.Duration { return time.Duration(n) * time.Second }
	chat := func(start time.Time, op desk.Operator, wait, response, dur int, end desk.Ending) desk.Chat {
		c := f.waitingChat(start)
		if wait >= 0 {
			_, err := f.change(store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, op, start.Add(sec(wait))) })
			f.must(err)
		}
		if response >= 0 {
			_, _, _, err := f.answer(c.ID, op, "Hello!", "r1", start.Add(sec(response)))
			f.must(err)
			// a second answer is not the first response
			_, _, _, err = f.answer(c.ID, op, "Still there?", "r2", start.Add(sec(response+80)))
			f.must(err)
		}
		if dur >= 0 {
			end.At = start.Add(sec(dur))
			f.end(c.ID, end)
		}
		got, err := f.s.Chat(f.ctx, c.ID)
		f.must(err)
		return got
	}
	byVisitor := desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel}
	byJohn := desk.Ending{By: desk.AuthorOperator, OperatorID: h.john.ID, OperatorName: h.john.Name, Reason: desk.EndCancel}
	inactive := desk.Ending{By: desk.AuthorSystem, Reason: desk.EndInactivity}
	d := h.day1
	h.a = chat(d.Add(9*time.Hour), h.anna, 30, 90, 600, byVisitor)
	h.b = chat(d.Add(9*time.Hour+30*time.Minute), h.john, 60, 120, 1200, byJohn)
	h.c = chat(d.Add(24*time.Hour+14*time.Hour), h.anna, 120, -1, 1200, inactive)
	h.d = chat(d.Add(24*time.Hour+14*time.Hour+10*time.Minute), desk.Operator{}, -1, -1, 300, byVisitor)
	h.e = chat(d.Add(48*time.Hour+23*time.Hour), desk.Operator{}, -1, -1, -1, desk.Ending{})
	h.chatF = chat(d.Add(5*24*time.Hour+10*time.Hour), h.john, 10, 20, 60, byJohn)
	return h
}

func testHistoryTimes(t *testing.T, f *fixture) {
	h := seedKnownHistory(f)
	for _, tc := range []struct {
		c                        desk.Chat
		wait, response, duration int64 // seconds; -1: none
		text                     string
	}{
		{h.a, 30, 90, 600, "Ended by the visitor"},
		{h.b, 60, 120, 1200, "Ended by John Mathews"},
		{h.c, 120, -1, 1200, "Due to inactivity, chat has ended"},
		{h.d, -1, -1, 300, "Ended by the visitor"},
		{h.e, -1, -1, -1, ""},
	} {
		secs := func(d time.Duration, ok bool) int64 {
			if !ok {
				return -1
			}
			return int64(d / time.Second)
		}
		w, r, d := secs(desk.WaitTime(tc.c)), secs(desk.FirstResponseTime(tc.c)), secs(desk.ChatDuration(tc.c))
		if w != tc.wait || r != tc.response || d != tc.duration || desk.EndedByText(tc.c) != tc.text {
			t.Errorf("chat %d: wait %d, response %d, duration %d, %q; want %d, %d, %d, %q",
				tc.c.ID, w, r, d, desk.EndedByText(tc.c), tc.wait, tc.response, tc.duration, tc.text)
		}
	}
	if !desk.Missed(h.d) || desk.Missed(h.a) || desk.Missed(h.e) {
		t.Errorf("missed: D %v, A %v, E %v; want only D", desk.Missed(h.d), desk.Missed(h.a), desk.Missed(h.e))
	}
	// lists read the same columns
	got, err := f.s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID, OperatorID: h.john.ID, Limit: 1, BeforeID: h.chatF.ID})
	f.must(err)
	if len(got) != 1 || !got[0].FirstAssignedAt.Equal(h.b.CreatedAt.Add(time.Minute)) || !got[0].FirstResponseAt.Equal(h.b.CreatedAt.Add(2*time.Minute)) {
		t.Errorf("listed B = %+v", got)
	}
}

func testHistoryFilters(t *testing.T, f *fixture) {
	h := seedKnownHistory(f)
	check := func(name string, fl store.ChatFilter, want ...desk.Chat) {
		t.Helper()
		fl.SiteID = f.site.ID
		got, err := f.s.ListChats(f.ctx, fl)
		f.must(err)
		var g, w []int64
		for _, c := range got {
			g = append(g, c.ID)
		}
		for _, c := range want {
			w = append(w, c.ID)
		}
		slices.Sort(g)
		slices.Sort(w)
		if !slices.Equal(g, w) {
			t.Errorf("%s: got %v, want %v", name, g, w)
		}
	}
	check("ended by the visitor", store.ChatFilter{EndedBy: desk.EndedByVisitorKind}, h.a, h.d)
	check("ended by an operator", store.ChatFilter{EndedBy: desk.EndedByOperatorKind}, h.b, h.chatF)
	check("ended by inactivity", store.ChatFilter{EndedBy: desk.EndedByInactivity}, h.c)
	check("missed", store.ChatFilter{Missed: true}, h.d)
	check("waited at least 60 s", store.ChatFilter{MinWait: time.Minute}, h.b, h.c)
	check("first response at least 100 s", store.ChatFilter{MinFirstResponse: 100 * time.Second}, h.b)
	check("lasted at least 20 min", store.ChatFilter{MinDuration: 20 * time.Minute}, h.b, h.c)
	check("operator and ended and a date range", store.ChatFilter{OperatorID: h.john.ID, EndedBy: desk.EndedByOperatorKind,
		From: h.day1, To: h.day1.AddDate(0, 0, 3)}, h.b)
}

func testReportChats(t *testing.T, f *fixture) {
	h := seedKnownHistory(f)
	p, err := desk.DatePeriod("2026-11-02", "2026-11-04", time.UTC, h.day1)
	f.must(err)
	b := desk.NewReport(p)
	f.must(f.s.ReportChats(f.ctx, f.site.ID, p.Start, p.End, b.Add))
	r := b.Report()
	if r.Chats != 5 || r.Missed != 1 {
		t.Errorf("chats %d, missed %d; want 5, 1", r.Chats, r.Missed)
	}
	wantDays := []desk.DayCount{{Date: "2026-11-02", Chats: 2}, {Date: "2026-11-03", Chats: 2, Missed: 1}, {Date: "2026-11-04", Chats: 1}}
	if !slices.Equal(r.PerDay, wantDays) {
		t.Errorf("per day %+v, want %+v", r.PerDay, wantDays)
	}
	var wantHours [24]int
	wantHours[9], wantHours[14], wantHours[23] = 2, 2, 1
	if r.PerHour != wantHours {
		t.Errorf("per hour %v, want %v", r.PerHour, wantHours)
	}
	for _, c := range []struct {
		name      string
		got, want desk.Percentiles
	}{
		{"wait", r.Wait, desk.Percentiles{Count: 3, P50: 60, P90: 120}},
		{"first response", r.FirstResponse, desk.Percentiles{Count: 2, P50: 90, P90: 120}},
		{"duration", r.Spent, desk.Percentiles{Count: 4, P50: 600, P90: 1200}},
	} {
		if c.got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, c.got, c.want)
		}
	}
	wantOps := []desk.OperatorCount{{OperatorID: h.anna.ID, Chats: 2}, {OperatorID: h.john.ID, Chats: 1}}
	if !slices.Equal(r.PerOperator, wantOps) {
		t.Errorf("per operator %+v, want %+v", r.PerOperator, wantOps)
	}
	// another site's chats are not read
	n := 0
	f.must(f.s.ReportChats(f.ctx, f.site.ID+1, p.Start, p.End, func(desk.ReportChat) { n++ }))
	if n != 0 {
		t.Errorf("another site's report read %d chats", n)
	}
}
