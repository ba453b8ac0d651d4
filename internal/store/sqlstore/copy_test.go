package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
	"outputdesk/internal/store/postgres/pgtest"
	"outputdesk/internal/store/sqlstore"
)

// sameDump fails t for each part of got that differs from want.
func sameDump(t *testing.T, want, got dumped) {
	t.Helper()
	w, g := reflect.ValueOf(want), reflect.ValueOf(got)
	for i := range w.NumField() {
		if !reflect.DeepEqual(w.Field(i).Interface(), g.Field(i).Interface()) {
			t.Errorf("%s differ:\n got  %+v\n want %+v", w.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
}

func counts(t *testing.T, s *sqlstore.DB) map[string]int64 {
	t.Helper()
	rcs, err := s.RowCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, rc := range rcs {
		out[rc.Table] = rc.Rows
	}
	return out
}

func TestCopySQLiteToPostgres(t *testing.T) {
	ctx := context.Background()
	src := openSQLite(t)
	f := fill(t, src)
	want := dump(t, src, f)
	if len(want.Chats) != 9 || len(want.OpenChats) != 6 || len(want.Due) == 0 || len(want.Active) != 2 {
		t.Fatalf("the fill is not what the test means to copy: %d chats, %d open, %d due, active %v", len(want.Chats), len(want.OpenChats), len(want.Due), want.Active)
	}
	dst := openPostgres(t, pgtest.Database(t))
	var progress bytes.Buffer
	rep, err := sqlstore.Copy(ctx, src, dst, &progress)
	if err != nil {
		t.Fatalf("Copy: %v\n%s", err, progress.String())
	}
	srcCounts := counts(t, src)
	if len(rep.Tables) != len(srcCounts) {
		t.Fatalf("report has %d tables, the store %d", len(rep.Tables), len(srcCounts))
	}
	for _, tc := range rep.Tables {
		if tc.Source != srcCounts[tc.Table] || tc.Target != tc.Source || tc.Source == 0 {
			t.Errorf("%s: report %+v, source holds %d (every table should have rows)", tc.Table, tc, srcCounts[tc.Table])
		}
	}
	if !strings.Contains(progress.String(), "messages: ") {
		t.Errorf("no progress for messages:\n%s", progress.String())
	}
	sameDump(t, want, dump(t, dst, f))

	// the mover is generic: back into SQLite, the same records again
	back := openSQLite(t)
	if _, err := sqlstore.Copy(ctx, dst, back, nil); err != nil {
		t.Fatalf("copying back: %v", err)
	}
	sameDump(t, want, dump(t, back, f))

	t.Run("NewRowsGetFreshIDs", func(t *testing.T) { freshIDs(t, dst, want) })

	before := counts(t, dst)
	_, err = sqlstore.Copy(ctx, src, dst, nil)
	if !errors.Is(err, sqlstore.ErrTargetNotEmpty) {
		t.Fatalf("a second copy into the same target: err = %v, want ErrTargetNotEmpty", err)
	}
	if after := counts(t, dst); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused copy changed the target: %v, then %v", before, after)
	}
}

// freshIDs: after a copy, the store hands out ids above every copied one.
func freshIDs(t *testing.T, s store.Store, copied dumped) {
	ctx := context.Background()
	site := copied.Site.ID
	v, err := s.CreateVisitor(ctx, desk.Visitor{SiteID: site, TokenHash: "after-copy", Name: "New", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if last := copied.Visitors[len(copied.Visitors)-1].ID; v.ID <= last {
		t.Errorf("new visitor id %d, copied ones go up to %d", v.ID, last)
	}
	c, _, err := s.CreateChat(ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
		return desk.StartChat(desk.ChatStart{Visitor: v, First: desk.Message{Author: desk.AuthorVisitor, Body: "hi", ClientID: "x"}, Timeouts: timeouts}, t0)
	}})
	if err != nil {
		t.Fatalf("a new chat after the copy: %v", err)
	}
	if c.ID <= copied.Chats[0].ID { // ListChats is newest first
		t.Errorf("new chat id %d, copied ones go up to %d", c.ID, copied.Chats[0].ID)
	}
	o, err := s.CreateOperator(ctx, desk.Operator{SiteID: site, Name: "New", Email: "new@shop.test", Role: desk.RoleOperator, PriorityLevel: 1, Status: desk.StatusOnline})
	if err != nil {
		t.Fatalf("a new operator after the copy: %v", err)
	}
	inv, err := s.CreateInvitation(ctx, desk.Invitation{SiteID: site, VisitorID: v.ID, Kind: desk.InvitationManual, OperatorID: o.ID, Text: "Hi", CreatedAt: t0})
	if err != nil {
		t.Fatalf("a new invitation after the copy: %v", err)
	}
	if last := copied.Invitations[len(copied.Invitations)-1].ID; inv.ID <= last {
		t.Errorf("new invitation id %d, copied ones go up to %d", inv.ID, last)
	}
	if _, err := s.CreateActionRule(ctx, desk.ActionRule{SiteID: site, Name: "New", TargetOperatorID: o.ID}); err != nil {
		t.Errorf("a new action rule after the copy: %v", err)
	}
	if _, err := s.CreateInvitationRule(ctx, desk.InvitationRule{SiteID: site, Name: "New", Message: "m"}); err != nil {
		t.Errorf("a new invitation rule after the copy: %v", err)
	}
	if _, err := s.AddPageView(ctx, desk.PageView{VisitorID: v.ID, VisitID: "v", StartedAt: t0}); err != nil {
		t.Errorf("a new page view after the copy: %v", err)
	}
}

// cancelOn cancels a copy once its progress names a table: the copy then
// fails part-way.
type cancelOn struct {
	table  string
	cancel context.CancelFunc
}

func (c cancelOn) Write(p []byte) (int, error) {
	if strings.HasPrefix(string(p), c.table+":") {
		c.cancel()
	}
	return len(p), nil
}

func TestCopyFailureLeavesTargetEmpty(t *testing.T) {
	src := openSQLite(t)
	fill(t, src)
	dst := openPostgres(t, pgtest.Database(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := sqlstore.Copy(ctx, src, dst, cancelOn{"visitors", cancel}); err == nil {
		t.Fatal("a copy cancelled part-way succeeded")
	}
	for table, n := range counts(t, dst) {
		if n != 0 {
			t.Errorf("after a failed copy the target's %s holds %d rows", table, n)
		}
	}
	// nothing half-landed: a second attempt finds the target empty
	if _, err := sqlstore.Copy(context.Background(), src, dst, nil); err != nil {
		t.Fatalf("copying after a failed copy: %v", err)
	}
}

func TestCopyRefusesDifferentColumns(t *testing.T) {
	src := openSQLite(t)
	fill(t, src)
	dst := openPostgres(t, pgtest.Database(t))
	if _, err := dst.Writer().Exec(`ALTER TABLE chats ADD COLUMN rating BIGINT`); err != nil {
		t.Fatal(err)
	}
	_, err := sqlstore.Copy(context.Background(), src, dst, nil)
	if err == nil || !strings.Contains(err.Error(), "rating") {
		t.Fatalf("copying into a chats table with another column: err = %v, want one naming it", err)
	}
	for table, n := range counts(t, dst) {
		if n != 0 {
			t.Errorf("after a refused copy the target's %s holds %d rows", table, n)
		}
	}
}

func TestReportWriteTo(t *testing.T) {
	rep := sqlstore.Report{Tables: []sqlstore.TableCount{{"chats", 3, 3}, {"messages", 9, 8}}, Elapsed: 1500 * time.Millisecond}
	var b strings.Builder
	rep.WriteTo(&b)
	out := b.String()
	for _, want := range []string{"chats", "messages", "MISMATCH", "11 rows in 1.5 s"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "MISMATCH") != 1 {
		t.Errorf("only messages differ:\n%s", out)
	}
}
