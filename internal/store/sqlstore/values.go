package sqlstore

import (
	"database/sql"
	"errors"

	"outputdesk/internal/desk"
	"time"
)

// Times are kept as Unix milliseconds; a zero time is 0 or NULL.

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Booleans are kept as 0 or 1 in both dialects, so every column is a
// number or text and copy-data moves rows as they are.
func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// notFound maps sql.ErrNoRows to desk's not-found error for what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return desk.NotFound(what)
	}
	return err
}

type scanner interface{ Scan(...any) error }

// all runs a query and reads every row with scan: a list, never nil.
func all[T any](r run, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := r.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
