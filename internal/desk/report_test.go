package desk

import (
	"testing"
	"time"
	_ "time/tzdata" // as the service does: the zones are in the binary, never missing
)

func TestEndedByText(t *testing.T) {
	for _, tc := range []struct {
		c    Chat
		want string
	}{
		{Chat{State: ChatActive}, ""},
		{Chat{State: ChatEnded, EndReason: EndCancel, EndedBy: AuthorVisitor}, "Ended by the visitor"},
		{Chat{State: ChatEnded, EndReason: EndCancel, EndedBy: AuthorOperator, EndedByOperatorID: 3, EndedByOperatorName: "Anna Berg"}, "Ended by Anna Berg"},
		{Chat{State: ChatEnded, EndReason: EndInactivity, EndedBy: AuthorSystem}, "Due to inactivity, chat has ended"},
		{Chat{State: ChatEnded, EndReason: EndLeft, EndedBy: AuthorSystem}, "Due to inactivity, chat has ended"},
	} {
		if got := EndedByText(tc.c); got != tc.want {
			t.Errorf("EndedByText(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestDatePeriod(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC) // 00:30 on the 25th in Berlin
	for _, tc := range []struct {
		name, from, to string
		loc            *time.Location
		wantFrom       string
		days           int
		code           Code
	}{
		{"default: the last 7 days up to today", "", "", time.UTC, "2026-11-18", 7, ""},
		{"today in the caller's zone", "", "", berlin, "2026-11-19", 7, ""},
		{"one day", "2026-11-03", "2026-11-03", time.UTC, "2026-11-03", 1, ""},
		{"only from: up to today", "2026-11-01", "", time.UTC, "2026-11-01", 24, ""},
		{"from after to", "2026-11-05", "2026-11-04", time.UTC, "", 0, CodeInvalid},
		{"a bad date", "2026-13-01", "", time.UTC, "", 0, CodeInvalid},
		{"not a date", "yesterday", "", time.UTC, "", 0, CodeInvalid},
		{"too long", "2024-01-01", "2026-01-01", time.UTC, "", 0, CodeInvalid},
	} {
		p, err := DatePeriod(tc.from, tc.to, tc.loc, now)
		if CodeOf(err) != tc.code && !(tc.code == "" && err == nil) {
			t.Errorf("%s: err %v, want code %q", tc.name, err, tc.code)
			continue
		}
		if tc.code != "" {
			continue
		}
		if got := p.Start.Format(time.DateOnly); got != tc.wantFrom || len(p.DayStarts) != tc.days {
			t.Errorf("%s: from %s, %d days; want %s, %d", tc.name, got, len(p.DayStarts), tc.wantFrom, tc.days)
		}
	}
	// a day of daylight saving time's end is 25 hours long, and its chats
	// are still that day's
	p, err := DatePeriod("2026-10-25", "2026-10-26", berlin, now)
	if err != nil {
		t.Fatal(err)
	}
	if d := p.DayStarts[1].Sub(p.DayStarts[0]); d != 25*time.Hour {
		t.Errorf("25 October in Berlin lasts %v", d)
	}
	b := NewReport(p)
	b.Add(ReportChat{CreatedAt: time.Date(2026, 10, 25, 22, 30, 0, 0, time.UTC)}) // 23:30 in Berlin (UTC+1)
	b.Add(ReportChat{CreatedAt: time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC)}) // 00:30 on the 25th (UTC+2)
	b.Add(ReportChat{CreatedAt: time.Date(2026, 10, 24, 21, 30, 0, 0, time.UTC)}) // the 24th: not in the period
	r := b.Report()
	if r.Chats != 2 || r.PerDay[0].Chats != 2 || r.PerHour[23] != 1 || r.PerHour[0] != 1 {
		t.Errorf("report %+v", r)
	}
}

func TestReportPercentiles(t *testing.T) {
	p, _ := DatePeriod("2026-11-01", "2026-11-01", time.UTC, time.Time{})
	b := NewReport(p)
	start := p.Start.Add(time.Hour)
	for i := 1; i <= 10; i++ {
		// waits 10 s … 100 s; only the even ones answered; none ended
		c := ReportChat{CreatedAt: start, FirstAssignedAt: start.Add(time.Duration(i*10) * time.Second), OperatorID: int64(i % 3)}
		if i%2 == 0 {
			c.FirstResponseAt = c.FirstAssignedAt.Add(1500 * time.Millisecond)
		}
		b.Add(c)
	}
	b.Add(ReportChat{CreatedAt: start, EndedAt: start.Add(time.Minute)}) // missed
	r := b.Report()
	if r.Wait != (Percentiles{Count: 10, P50: 50, P90: 90}) {
		t.Errorf("wait %+v", r.Wait)
	}
	// responses 21.5, 41.5, 61.5, 81.5, 101.5 s: whole seconds, rounded down
	if r.FirstResponse != (Percentiles{Count: 5, P50: 61, P90: 101}) {
		t.Errorf("first response %+v", r.FirstResponse)
	}
	if r.Missed != 1 || r.Spent != (Percentiles{Count: 1, P50: 60, P90: 60}) {
		t.Errorf("missed %d, duration %+v", r.Missed, r.Spent)
	}
	want := []OperatorCount{{1, 4}, {0, 0}}[:1]
	if len(r.PerOperator) != 2 || r.PerOperator[0] != want[0] || r.PerOperator[1] != (OperatorCount{2, 3}) {
		t.Errorf("per operator %+v", r.PerOperator)
	}
}
