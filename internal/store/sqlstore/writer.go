package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// oneWriter runs the write transactions of a database that lets one writer
// in at a time (SQLite) on one goroutine. Handing the one connection from
// goroutine to goroutine costs a wake-up each time, and under load the
// woken goroutine waits for a CPU while everyone waits for it; one
// goroutine that runs transactions back to back does not. The transactions
// waiting when one starts share its commit (group commit), each in a
// savepoint: a failed one is rolled back alone, and beginning and
// committing — most of a message's cost — is paid once for them all.
type oneWriter struct {
	db      *sql.DB
	waiting *atomic.Int64 // counts jobs not started yet (DB.Waiting)
	jobs    chan *writeJob
	quit    chan struct{}
	stopped chan struct{}

	closeOnce sync.Once
}

type writeJob struct {
	ctx   context.Context
	fn    func(tx *sql.Tx) error
	err   error
	panic any
	done  chan struct{}
}

var errClosed = errors.New("sqlstore: the store is closed")

func newOneWriter(db *sql.DB, waiting *atomic.Int64) *oneWriter {
	w := &oneWriter{db: db, waiting: waiting, jobs: make(chan *writeJob), quit: make(chan struct{}), stopped: make(chan struct{})}
	go w.run()
	return w
}

// do runs fn in a transaction on the writer and returns once it has been
// committed (nil) or rolled back (fn's error, or the commit's).
func (w *oneWriter) do(ctx context.Context, fn func(tx *sql.Tx) error) error {
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan struct{})}
	w.waiting.Add(1)
	select {
	case w.jobs <- j:
	case <-w.quit:
		w.waiting.Add(-1)
		return errClosed
	case <-ctx.Done():
		w.waiting.Add(-1)
		return ctx.Err()
	}
	<-j.done
	if j.panic != nil {
		panic(j.panic)
	}
	return j.err
}

func (w *oneWriter) close() {
	w.closeOnce.Do(func() { close(w.quit) })
	<-w.stopped
}

func (w *oneWriter) run() {
	defer close(w.stopped)
	for {
		select {
		case j := <-w.jobs:
			w.batch(j)
		case <-w.quit:
			return
		}
	}
}

// batch runs one job in its own transaction.
// maxBatch bounds how many transactions share a commit, so a caller waits
// for at most that many others.
const maxBatch = 32

// batch runs first and the jobs already waiting, up to maxBatch, in one
// transaction, each in a savepoint.
func (w *oneWriter) batch(first *writeJob) {
	tx, err := w.db.BeginTx(context.Background(), nil)
	if err != nil {
		w.waiting.Add(-1)
		first.err = err
		close(first.done)
		return
	}
	// the first job needs no savepoint: if it fails, nothing else is in the
	// transaction yet
	batch := []*writeJob{first}
	w.runOne(first, tx)
	if first.err != nil || first.panic != nil {
		tx.Rollback()
		close(first.done)
		return
	}
	for len(batch) < maxBatch {
		var j *writeJob
		select {
		case j = <-w.jobs:
		default:
		}
		if j == nil {
			break
		}
		batch = append(batch, j)
		w.runSaved(j, tx)
	}
	commit := tx.Commit()
	for _, j := range batch {
		if j.err == nil && j.panic == nil {
			j.err = commit
		}
		close(j.done)
	}
}

// runSaved runs a job in a savepoint, rolled back to if the job fails.
func (w *oneWriter) runSaved(j *writeJob, tx *sql.Tx) {
	bg := context.Background()
	if _, err := tx.ExecContext(bg, "SAVEPOINT job"); err != nil {
		w.waiting.Add(-1)
		j.err = err
		return
	}
	w.runOne(j, tx)
	if j.err != nil || j.panic != nil {
		if _, err := tx.ExecContext(bg, "ROLLBACK TO job"); err != nil {
			j.err = errors.Join(j.err, err)
		}
	}
	if _, err := tx.ExecContext(bg, "RELEASE job"); err != nil && j.err == nil {
		j.err = err
	}
}

// runOne runs a job, turning a panic into one the caller re-raises.
func (w *oneWriter) runOne(j *writeJob, tx *sql.Tx) {
	w.waiting.Add(-1)
	if j.err = j.ctx.Err(); j.err != nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			j.panic = p
			j.err = fmt.Errorf("panic: %v", p)
		}
	}()
	j.err = j.fn(tx)
}
