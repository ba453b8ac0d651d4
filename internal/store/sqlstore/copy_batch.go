package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Rows per multi-row INSERT, and the most placeholders one may hold: under
// SQLite's 32766 and PostgreSQL's 65535. One statement per row would make a
// million chats a matter of hours; one per 500 rows, of a minute or two.
const (
	batchRows   = 500
	batchParams = 30000
)

// batch writes rows into one table of a transaction with multi-row
// INSERTs. With auto set it writes each time it holds a full statement's
// worth; otherwise it keeps rows until flush, so that a writer of several
// tables can write the rows a table refers to (foreign keys) first.
type batch struct {
	ctx   context.Context
	tx    *sql.Tx
	d     Dialect
	table string
	cols  []string
	auto  bool
	size  int // rows per statement
	args  []any
	full  *sql.Stmt // every full statement has the same text: prepared once
	rows  int64     // rows written so far
}

func newBatch(ctx context.Context, tx *sql.Tx, d Dialect, table string, cols []string, auto bool) *batch {
	size := min(batchRows, batchParams/len(cols))
	return &batch{ctx: ctx, tx: tx, d: d, table: table, cols: cols, auto: auto, size: size}
}

// add queues one row, its values in the order of the batch's columns.
func (b *batch) add(vals ...any) error {
	if len(vals) != len(b.cols) {
		return fmt.Errorf("%s: %d values for %d columns", b.table, len(vals), len(b.cols))
	}
	b.args = append(b.args, vals...)
	if b.auto && b.queued() >= b.size {
		return b.flush()
	}
	return nil
}

func (b *batch) queued() int { return len(b.args) / len(b.cols) }

// flush writes every row queued: full statements, then the rest.
func (b *batch) flush() error {
	for off := 0; off < len(b.args); {
		n := min((len(b.args)-off)/len(b.cols), b.size)
		chunk := b.args[off : off+n*len(b.cols)]
		var err error
		if n == b.size {
			if b.full == nil {
				b.full, err = b.tx.PrepareContext(b.ctx, insertRows(b.d, b.table, b.cols, n))
				if err != nil {
					return fmt.Errorf("%s: %w", b.table, err)
				}
			}
			_, err = b.full.ExecContext(b.ctx, chunk...)
		} else {
			_, err = b.tx.ExecContext(b.ctx, insertRows(b.d, b.table, b.cols, n), chunk...)
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", b.table, err)
		}
		b.rows += int64(n)
		off += len(chunk)
	}
	clear(b.args) // the values are written: let them go
	b.args = b.args[:0]
	return nil
}

// close releases the prepared statement; queued rows are not written.
func (b *batch) close() {
	if b.full != nil {
		b.full.Close()
	}
}

// insertRows is INSERT INTO table (cols) VALUES (…), (…) for n rows, with
// the dialect's placeholders.
func insertRows(d Dialect, table string, cols []string, n int) string {
	var q strings.Builder
	q.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	p := 0
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for j := range cols {
			if j > 0 {
				q.WriteString(", ")
			}
			p++
			if d.Numbered {
				q.WriteString("$" + strconv.Itoa(p))
			} else {
				q.WriteByte('?')
			}
		}
		q.WriteByte(')')
	}
	return q.String()
}

// identityTables are the tables whose id the database hands out.
var identityTables = []string{"sites", "operators", "visitors", "page_views", "invitation_rules", "action_rules", "invitations", "chats", "canned_replies", "chat_notes", "offline_messages", "files"}

// resetIDs moves each identity past the largest id written, so rows written
// with their ids (copied, seeded) are followed by fresh ones. PostgreSQL
// keeps a sequence apart from the table; SQLite takes max(id)+1 itself.
// An empty table's next id is 1.
func resetIDs(ctx context.Context, tx *sql.Tx, d Dialect, tables ...string) error {
	if d.Name != "postgres" {
		return nil
	}
	for _, t := range tables {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE(max(id), 0) + 1, false) FROM %s`, t, t)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("resetting the ids of %s: %w", t, err)
		}
	}
	return nil
}
