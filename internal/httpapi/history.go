package httpapi

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// historyFilter reads History's filters (issue 12, point 6) into f.
func historyFilter(q url.Values, f *store.ChatFilter) error {
	if v := q.Get("ended"); v != "" {
		if !desk.ValidEndedKind(desk.EndedKind(v)) {
			return desk.Errorf(desk.CodeInvalid, "ended must be visitor, operator or inactivity")
		}
		f.EndedBy = desk.EndedKind(v)
	}
	switch v := desk.RatingValue(q.Get("rating")); v {
	case "":
	case desk.RatingGood, desk.RatingBad:
		f.Rating = v
	default:
		return desk.Errorf(desk.CodeInvalid, "rating must be good or bad")
	}
	switch q.Get("missed") {
	case "":
	case "true":
		f.Missed = true
	default:
		return desk.Errorf(desk.CodeInvalid, "missed must be true")
	}
	for _, m := range []struct {
		name string
		dst  *time.Duration
	}{{"min_wait_seconds", &f.MinWait}, {"min_first_response_seconds", &f.MinFirstResponse}, {"min_duration_seconds", &f.MinDuration}} {
		if v := q.Get(m.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 || n > 365*24*3600 {
				return desk.Errorf(desk.CodeInvalid, "%s must be a number of seconds, 0 to 31536000", m.name)
			}
			*m.dst = time.Duration(n) * time.Second
		}
	}
	return nil
}

// csvHeader names the columns of GET /api/chats.csv.
var csvHeader = []string{"id", "started_at", "visitor", "operator", "started_by", "page_url", "ended_at", "ended_by",
	"wait_seconds", "first_response_seconds", "duration_seconds", "rating", "rating_comment"}

func (s *server) exportChats(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	f, err := chatFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	chats, err := s.svc.Export(r.Context(), op, f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="chats-`+s.svc.Now().UTC().Format("2006-01-02")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write(csvHeader)
	for _, c := range chats {
		_ = cw.Write(csvRow(protocol.ChatOf(c, time.Time{})))
	}
	cw.Flush()
}

// csvRow is one chat's line. Every cell a visitor or an operator could
// have typed goes through csvCell.
func csvRow(c protocol.Chat) []string {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	tm := func(t protocol.Time) string {
		if time.Time(t).IsZero() {
			return ""
		}
		return time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	opName := ""
	if c.Operator != nil {
		opName = c.Operator.Name
	}
	row := []string{strconv.FormatInt(c.ID, 10), tm(c.CreatedAt), c.Visitor.Name, opName, c.StartedBy, c.Page.URL, tm(c.EndedAt),
		str(c.EndedByText), num(c.WaitSeconds), num(c.FirstResponseSeconds), num(c.DurationSeconds), "", ""}
	if c.Rating != nil {
		row[len(row)-2], row[len(row)-1] = c.Rating.Value, c.Rating.Comment
	}
	for i := range row {
		row[i] = csvCell(row[i])
	}
	return row
}

// csvCell keeps a spreadsheet from reading a cell as a formula (CSV
// injection): a cell starting with = + - @, a tab or a carriage return
// gets a leading '.
func csvCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func (s *server) getReport(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	q := r.URL.Query()
	rep, err := s.svc.Report(r.Context(), op, q.Get("from"), q.Get("to"), q.Get("tz"))
	s.respond(w, r, 200, rep, err)
}
