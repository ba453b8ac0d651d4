package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// copyTable is a data table as Copy moves it.
type copyTable struct {
	name    string
	orderBy string // a stable order, so a copy is repeatable
}

// copyTables are every data table, parents before the tables that refer to
// them, so each row's foreign keys are in the target before it. (chats
// refer to invitations by id without a key, invitations to rules likewise.)
var copyTables = []copyTable{
	{"sites", "id"},
	{"operators", "id"},
	{"operator_preferences", "operator_id"},
	{"sessions", "token_hash"},
	{"visitors", "id"},
	{"page_views", "id"},
	{"action_rules", "id"},
	{"invitation_rules", "id"},
	{"canned_replies", "id"},
	{"invitations", "id"},
	{"chats", "id"},
	{"files", "id"},
	{"messages", "chat_id, seq"},
	{"read_positions", "chat_id, operator_id"},
	{"chat_notes", "id"},
	{"chat_ratings", "chat_id"},
	{"offline_messages", "id"},
}

// ErrTargetNotEmpty is Copy refusing a target that holds data already:
// merging two installs would clash on ids, and a copy must not half-land on
// someone's records.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// TableCount is one table's rows in the source and, once copied, the target.
type TableCount struct {
	Table          string
	Source, Target int64
}

// Report is what Copy did.
type Report struct {
	Tables  []TableCount
	Elapsed time.Duration
}

// Rows is the number of rows copied in all.
func (r Report) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Target
	}
	return n
}

// mismatch names the tables whose counts differ.
func (r Report) mismatch() error {
	var bad []string
	for _, t := range r.Tables {
		if t.Source != t.Target {
			bad = append(bad, fmt.Sprintf("%s (%d in the source, %d in the target)", t.Table, t.Source, t.Target))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("row counts differ: %s", strings.Join(bad, ", "))
	}
	return nil
}

// WriteTo prints the report as a table of counts.
func (r Report) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-18s %12s %12s\n", "table", "source", "target")
	for _, t := range r.Tables {
		mark := ""
		if t.Source != t.Target {
			mark = "  MISMATCH"
		}
		fmt.Fprintf(&b, "%-18s %12d %12d%s\n", t.Table, t.Source, t.Target, mark)
	}
	fmt.Fprintf(&b, "%d rows in %.1f s\n", r.Rows(), r.Elapsed.Seconds())
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// Copy copies every row of from into to, which must hold no data, keeping
// ids, and checks that each table holds as many rows in both. It reads one
// snapshot of from and writes in one transaction on to: a failure, or a
// count that differs, leaves to as empty as it was. Progress lines go to
// progress (nil: nowhere). from should not be written meanwhile by a server
// whose later writes would then be missing from the copy.
func Copy(ctx context.Context, from, to *DB, progress io.Writer) (Report, error) {
	start := time.Now()
	var rep Report
	if progress == nil {
		progress = io.Discard
	}
	src, err := from.r.BeginTx(ctx, snapshot(from.d))
	if err != nil {
		return rep, fmt.Errorf("reading the source: %w", err)
	}
	defer src.Rollback()
	dst, err := to.w.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("writing the target: %w", err)
	}
	defer dst.Rollback() // after Commit, a no-op
	if err := refuseNonEmpty(ctx, dst); err != nil {
		return rep, err
	}
	for _, t := range copyTables {
		tc, err := copyRows(ctx, src, dst, to.d, t, progress)
		if err != nil {
			return rep, err
		}
		rep.Tables = append(rep.Tables, tc)
	}
	if err := resetIDs(ctx, dst, to.d, identityTables...); err != nil {
		return rep, err
	}
	rep.Elapsed = time.Since(start)
	if err := rep.mismatch(); err != nil {
		return rep, err
	}
	if err := dst.Commit(); err != nil {
		return rep, fmt.Errorf("committing the copy: %w", err)
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// snapshot reads every table as of one moment. SQLite's read transaction
// is one already (WAL); PostgreSQL's default, READ COMMITTED, is not.
func snapshot(d Dialect) *sql.TxOptions {
	if d.Name == "postgres" {
		return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	return &sql.TxOptions{ReadOnly: true}
}

// refuseNonEmpty fails with ErrTargetNotEmpty if any data table has a row.
func refuseNonEmpty(ctx context.Context, tx *sql.Tx) error {
	var full []string
	for _, t := range copyTables {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+t.name+` LIMIT 1`).Scan(&one)
		switch {
		case err == nil:
			full = append(full, t.name)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("checking the target's %s: %w", t.name, err)
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("%w: %s already hold rows; copy into a new, empty database", ErrTargetNotEmpty, strings.Join(full, ", "))
	}
	return nil
}

// copyRows streams one table from src into dst and counts it on both sides.
func copyRows(ctx context.Context, src, dst *sql.Tx, d Dialect, t copyTable, progress io.Writer) (TableCount, error) {
	start := time.Now()
	tc := TableCount{Table: t.name}
	cols, err := sameColumns(ctx, src, dst, t.name)
	if err != nil {
		return tc, err
	}
	if err := src.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&tc.Source); err != nil {
		return tc, fmt.Errorf("counting the source's %s: %w", t.name, err)
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+t.name+` ORDER BY `+t.orderBy)
	if err != nil {
		return tc, fmt.Errorf("reading %s: %w", t.name, err)
	}
	defer rows.Close()
	b := newBatch(ctx, dst, d, t.name, cols, true)
	defer b.close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	const every = 100_000
	next := int64(every)
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return tc, fmt.Errorf("reading %s: %w", t.name, err)
		}
		if err := b.add(vals...); err != nil {
			return tc, err
		}
		if b.rows >= next {
			fmt.Fprintf(progress, "  %s: %d of %d rows\n", t.name, b.rows, tc.Source)
			next += every
		}
	}
	if err := rows.Err(); err != nil {
		return tc, fmt.Errorf("reading %s: %w", t.name, err)
	}
	if err := b.flush(); err != nil {
		return tc, err
	}
	if err := dst.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&tc.Target); err != nil {
		return tc, fmt.Errorf("counting the target's %s: %w", t.name, err)
	}
	fmt.Fprintf(progress, "%s: %d rows in %.1f s\n", t.name, tc.Target, time.Since(start).Seconds())
	return tc, nil
}

// sameColumns lists the table's columns as the source has them, sorted so
// both sides name them in one order, and fails if the target's differ: a
// migration applied to one dialect only would otherwise lose a column.
func sameColumns(ctx context.Context, src, dst *sql.Tx, table string) ([]string, error) {
	have, err := columnsOf(ctx, src, table)
	if err != nil {
		return nil, fmt.Errorf("the source's %s: %w", table, err)
	}
	want, err := columnsOf(ctx, dst, table)
	if err != nil {
		return nil, fmt.Errorf("the target's %s: %w", table, err)
	}
	if !slices.Equal(have, want) {
		return nil, fmt.Errorf("%s has columns %s in the source but %s in the target: are both at the same version?",
			table, strings.Join(have, ", "), strings.Join(want, ", "))
	}
	return have, nil
}

func columnsOf(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	for i, c := range cols {
		cols[i] = strings.ToLower(c)
	}
	slices.Sort(cols)
	return cols, nil
}

// RowCount is how many rows a table holds.
type RowCount struct {
	Table string
	Rows  int64
}

// RowCounts counts every data table, for tools' reports.
func (s *DB) RowCounts(ctx context.Context) ([]RowCount, error) {
	out := make([]RowCount, 0, len(copyTables))
	for _, t := range copyTables {
		rc := RowCount{Table: t.name}
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&rc.Rows); err != nil {
			return nil, fmt.Errorf("counting %s: %w", t.name, err)
		}
		out = append(out, rc)
	}
	return out, nil
}
