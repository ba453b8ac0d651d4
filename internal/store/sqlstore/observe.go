package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Observer hears how the database answers, for the metrics. op names the
// Store method that called the database: AddMessage, ChangeChat, Messages…
type Observer interface {
	// StoreCall is the time of one call into the database: a statement run
	// outside a transaction, until its first row or its result; or a whole
	// write transaction, from asking for it — on SQLite, queueing for its
	// one writer — to its commit or rollback.
	StoreCall(op string, took time.Duration)
	// StoreFailed is a statement, begin or commit that failed, in a
	// transaction or not. What the store expects is no failure: no row
	// found, a uniqueness violation (desk.ErrConflict), a cancelled request.
	StoreFailed(op string)
}

// Observe makes o hear every call into the database from now on.
func (s *DB) Observe(o Observer) { s.obs.Store(&o) }

func (s *DB) observer() Observer {
	if o := s.obs.Load(); o != nil {
		return *o
	}
	return nil
}

// op names the Store method calling read, write or tx; "" when nobody
// observes, so an unobserved store pays nothing for it.
func (s *DB) op() string {
	if s.obs.Load() == nil {
		return ""
	}
	return callerOp()
}

// observe reports a statement of r that began at start and ended with err.
// A statement in a transaction is timed with the transaction (tx).
func (r run) observe(start time.Time, err error) {
	o := r.s.observer()
	if o == nil {
		return
	}
	if r.tx == nil {
		o.StoreCall(r.op, time.Since(start))
	}
	if r.s.failure(err) {
		o.StoreFailed(r.op)
	}
}

// observeTx reports a transaction that began at start; err is what it
// returned, fnErr what the work in it returned. A failure of the work was
// reported by its statement; one that is not the work's is the begin's or
// the commit's.
func (s *DB) observeTx(op string, start time.Time, err, fnErr error) {
	o := s.observer()
	if o == nil {
		return
	}
	o.StoreCall(op, time.Since(start))
	if fnErr == nil && s.failure(err) {
		o.StoreFailed(op)
	}
}

// failure reports whether err is the database failing, rather than an
// answer the store expects.
func (s *DB) failure(err error) bool {
	return err != nil && !errors.Is(err, sql.ErrNoRows) && !errors.Is(err, context.Canceled) &&
		!(s.d.IsUnique != nil && s.d.IsUnique(err))
}

// The Store method is found on the stack rather than passed by each of
// the fifty methods, so that none can give a wrong name or forget one. It
// is looked up once per call site, by the return addresses above it.
const opDepth = 6

var opNames sync.Map // [opDepth]uintptr → string

// callerOp is the first exported method of DB on the caller's stack, or
// "other" (a tool, a helper outside any method).
//
//go:noinline
func callerOp() string {
	var pcs [opDepth]uintptr
	n := runtime.Callers(3, pcs[:]) // above Callers, callerOp and DB.op
	if name, ok := opNames.Load(pcs); ok {
		return name.(string)
	}
	name := "other"
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if m, ok := dbMethod(f.Function); ok {
			name = m
			break
		}
		if !more {
			break
		}
	}
	opNames.Store(pcs, name)
	return name
}

// dbMethod is the exported method of DB that fn (a function's full name)
// is, or is a closure in.
func dbMethod(fn string) (string, bool) {
	const recv = "/sqlstore.(*DB)."
	i := strings.LastIndex(fn, recv)
	if i < 0 {
		return "", false
	}
	m := fn[i+len(recv):]
	if j := strings.IndexByte(m, '.'); j >= 0 {
		m = m[:j]
	}
	if m == "" || !unicode.IsUpper(rune(m[0])) {
		return "", false
	}
	return m, true
}
