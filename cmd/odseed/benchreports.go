package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/reports"
	"outputdesk/internal/store/sqlstore"
)

// benchReports times "Reports" (GET /api/reports' work: the store's query
// and desk's counting and percentiles) for the last days days, beside a
// baseline: a plain COUNT of the same chats through the same index. Each
// is run runs times; it prints the first run and the median.
func benchReports(ctx context.Context, st *sqlstore.DB, days, runs int, out io.Writer) error {
	var siteID int64
	if err := st.Writer().QueryRowContext(ctx, `SELECT min(id) FROM sites`).Scan(&siteID); err != nil {
		return fmt.Errorf("the site: %w", err)
	}
	now := time.Now().UTC()
	from, to := now.AddDate(0, 0, -(days-1)).Format(time.DateOnly), now.Format(time.DateOnly)
	p, err := desk.DatePeriod(from, to, time.UTC, now)
	if err != nil {
		return err
	}
	count := `SELECT count(*) FROM chats WHERE site_id = ? AND created_at >= ? AND created_at < ?`
	// the query ReportChats runs (internal/store/sqlstore/history.go), for its plan
	report := `SELECT created_at, first_assigned_at, first_response_at, ended_at, COALESCE(operator_id, 0) FROM chats WHERE site_id = ? AND created_at >= ? AND created_at < ?`
	explain := "EXPLAIN QUERY PLAN "
	if st.Dialect().Name == "postgres" {
		count, report = dollars(count), dollars(report)
		explain = "EXPLAIN "
	}
	args := []any{siteID, p.Start.UnixMilli(), p.End.UnixMilli()}
	var total, inPeriod int64
	if err := st.Writer().QueryRowContext(ctx, `SELECT count(*) FROM chats`).Scan(&total); err != nil {
		return err
	}
	baseline, err := timeRuns(runs, func() error { return st.Writer().QueryRowContext(ctx, count, args...).Scan(&inPeriod) })
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	svc := reports.New(reports.Deps{Store: st, Clock: clock.Real{}})
	var rep struct{ chats, missed int }
	timed, err := timeRuns(runs, func() error {
		r, err := svc.Report(ctx, desk.Operator{SiteID: siteID}, from, to, "UTC")
		rep.chats, rep.missed = r.Chats, r.Missed
		return err
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	plan, err := queryPlan(ctx, st, explain+report, args)
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	fmt.Fprintf(out, "\nReports on %s: %d chats stored, %d in the %d days %s to %s (UTC), %d runs each\n", st.Dialect().Name, total, inPeriod, days, from, to, runs)
	fmt.Fprintf(out, "| query | first run | median | max |\n| --- | --- | --- | --- |\n")
	fmt.Fprintf(out, "| baseline: COUNT(*) of the period's chats | %s | %s | %s |\n", ms(baseline[0]), ms(median(baseline)), ms(slices.Max(baseline)))
	fmt.Fprintf(out, "| the report (%d chats, %d missed) | %s | %s | %s |\n", rep.chats, rep.missed, ms(timed[0]), ms(median(timed)), ms(slices.Max(timed)))
	fmt.Fprintf(out, "report query plan: %s\n", plan)
	return nil
}

func timeRuns(n int, fn func() error) ([]time.Duration, error) {
	out := make([]time.Duration, n)
	for i := range out {
		t0 := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		out[i] = time.Since(t0)
	}
	return out, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// dollars numbers ? placeholders as PostgreSQL's $1, $2, …
func dollars(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// queryPlan is the plan's lines joined: SQLite's detail column, or
// PostgreSQL's EXPLAIN text.
func queryPlan(ctx context.Context, st *sqlstore.DB, q string, args []any) (string, error) {
	rows, err := st.Writer().QueryContext(ctx, q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		lines = append(lines, strings.TrimSpace(fmt.Sprint(vals[len(vals)-1])))
	}
	return strings.Join(lines, " / "), rows.Err()
}
