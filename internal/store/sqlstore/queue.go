package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

func (s *DB) MoveQueue(ctx context.Context, siteID int64, limit int, decide func(tx store.QueueTx) ([]desk.ChatChange, error)) ([]store.ChatResult, error) {
	if s.d.LockQueue == "" {
		// most moves find the queue empty: say so without a transaction
		var id int64
		if err := s.read(ctx).row(`SELECT id FROM chats WHERE site_id = ? AND state = 'waiting' LIMIT 1`, siteID).Scan(&id); err != nil {
			return nil, ignoreNotFound(notFound(err, "waiting chat"))
		}
		var out []store.ChatResult
		err := s.tx(ctx, func(r run) (err error) {
			out, err = s.move(r, siteID, limit, decide)
			return err
		})
		return out, err
	}
	return s.moveHoldingQueue(ctx, s.op(), siteID, limit, decide)
}

// moveHoldingQueue is MoveQueue on a database with many writers. It takes
// the site's queue before holding the waiting chats and gives it back once
// the decisions are applied — the chats and their operators held — but
// before the commit: the next move does not wait for this one to reach the
// disk. It passes over these chats (still held) and decides on the next
// ones; if it picks an operator this move holds, it waits for that hold and
// counts again. The lock is a session lock on a connection of its own, so
// it is given back whatever happens to the transaction.
func (s *DB) moveHoldingQueue(ctx context.Context, op string, siteID int64, limit int, decide func(tx store.QueueTx) ([]desk.ChatChange, error)) (_ []store.ChatResult, failed error) {
	// Moves keep a connection of their own: the queue moves however busy
	// the pool is with everything else, and a move does not queue for a
	// connection while holding the queue.
	s.moveWaits.Add(1)
	s.moveMu.Lock()
	s.moveWaits.Add(-1)
	defer s.moveMu.Unlock()
	if s.moveConn == nil {
		c, err := s.w.Conn(ctx)
		if err != nil {
			return nil, err
		}
		s.moveConn = c
	}
	conn := s.moveConn
	defer func() {
		if failed != nil { // perhaps broken: the next move takes another
			conn.Close()
			s.moveConn = nil
		}
	}()
	// most moves find the queue empty: say so without a transaction
	var id int64
	start := time.Now()
	if err := conn.QueryRowContext(ctx, s.rebind(`SELECT id FROM chats WHERE site_id = ? AND state = 'waiting' LIMIT 1`), siteID).Scan(&id); err != nil {
		run{s: s, op: op}.observe(start, err)
		return nil, ignoreNotFound(notFound(err, "waiting chat"))
	}
	run{s: s, op: op}.observe(start, nil)
	locked := false
	defer func() {
		if locked { // the transaction failed before giving the queue back
			conn.ExecContext(context.WithoutCancel(ctx), s.rebind(s.d.UnlockQueue), siteID)
		}
	}()
	var work error // the move's own, reported by its statements
	start = time.Now()
	defer func() { s.observeTx(op, start, failed, work) }()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	r := run{s: s, ctx: ctx, db: s.w, tx: tx, op: op}
	var out []store.ChatResult
	err = s.held(func() error { _, err := r.exec(s.d.LockQueue, siteID); return err })
	if err == nil {
		locked = true
		out, err = s.move(r, siteID, limit, decide)
	}
	if err == nil {
		_, err = r.exec(s.d.UnlockQueue, siteID)
		locked = err != nil
	}
	if err != nil {
		work = err
		tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return out, nil
}

// move holds the waiting chats, lets decide choose and applies its changes.
func (s *DB) move(r run, siteID int64, limit int, decide func(tx store.QueueTx) ([]desk.ChatChange, error)) ([]store.ChatResult, error) {
	lock := ""
	if s.d.LockRow != "" {
		lock = s.d.LockRow + " " + s.d.SkipLocked
	}
	var waiting []chatRow
	err := s.held(func() error {
		// first come, first served: by the time each chat was written
		rows, err := r.query(chatSelect+` WHERE c.id IN (SELECT id FROM chats WHERE site_id = ? AND state = 'waiting' ORDER BY created_at, id LIMIT ? `+lock+`)
			ORDER BY c.created_at, c.id`, siteID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanChat(rows)
			if err != nil {
				return err
			}
			waiting = append(waiting, c)
		}
		return rows.Err()
	})
	if err != nil || len(waiting) == 0 {
		return nil, err
	}
	qt := &queueTx{chatTx: chatTx{s: s, r: r, c: waiting[0].Chat}, byID: map[int64]chatRow{}}
	for _, c := range waiting {
		qt.chats = append(qt.chats, c.Chat)
		qt.byID[c.ID] = c
	}
	changes, err := decide(qt)
	if err != nil {
		return nil, err
	}
	var befores []chatRow
	var decided []desk.ChatChange
	for _, ch := range changes {
		if !ch.Changed {
			continue
		}
		before, ok := qt.byID[ch.Chat.ID]
		if !ok {
			return nil, fmt.Errorf("sqlstore: a queue move decided on chat %d, which it does not hold", ch.Chat.ID)
		}
		delete(qt.byID, ch.Chat.ID) // one change per chat
		befores, decided = append(befores, before), append(decided, ch)
	}
	return s.applyMove(r, befores, decided)
}

// applyMove applies a move's decisions in one statement: a move assigns
// chats or records why they wait, so it changes a chat's state, operator,
// assignment time and routing record, nothing else. Each row's update is
// conditioned on the version read, and the statement must change them all.
// Each operator assigned is stamped once, with their latest assignment.
func (s *DB) applyMove(r run, befores []chatRow, changes []desk.ChatChange) ([]store.ChatResult, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	const row = `SELECT CAST(? AS BIGINT) AS id, CAST(? AS BIGINT) AS ver, CAST(? AS TEXT) AS state, CAST(? AS BIGINT) AS op,
		CAST(? AS BIGINT) AS at, CAST(? AS TEXT) AS routing`
	var q strings.Builder
	q.WriteString(`UPDATE chats SET state = v.state, operator_id = v.op, assigned_at = v.at, routing = v.routing, version = chats.version + 1 FROM (`)
	args := make([]any, 0, 6*len(changes))
	out := make([]store.ChatResult, len(changes))
	stamps := map[int64]time.Time{}
	for i, ch := range changes {
		before, after := befores[i], befores[i].Chat
		if len(ch.Lines) > 0 {
			return nil, fmt.Errorf("sqlstore: a queue move wrote lines in chat %d", before.ID)
		}
		// only what a move changes is taken from the decision
		after.State, after.OperatorID, after.OperatorName, after.AssignedAt, after.Routing = ch.Chat.State, ch.Chat.OperatorID, ch.Chat.OperatorName, ch.Chat.AssignedAt, ch.Chat.Routing
		after.Version = before.version + 1
		if i > 0 {
			q.WriteString(" UNION ALL ")
		}
		q.WriteString(row)
		args = append(args, before.ID, before.version, string(after.State), nullID(after.OperatorID), nullMS(after.AssignedAt), encodeRouting(after.Routing))
		out[i] = store.ChatResult{Before: before.Chat, Chat: after, Changed: true}
		if ch.Assigned && after.AssignedAt.After(stamps[after.OperatorID]) {
			stamps[after.OperatorID] = after.AssignedAt
		}
	}
	q.WriteString(`) v WHERE chats.id = v.id AND chats.version = v.ver`)
	res, err := r.execAdhoc(q.String(), args...)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(changes)) {
		return nil, errors.Join(err, errChatMoved)
	}
	if len(stamps) == 0 {
		return out, nil
	}
	q.Reset()
	q.WriteString(`UPDATE operators SET last_assigned_at = v.at FROM (`)
	args = args[:0]
	for op, at := range stamps {
		if len(args) > 0 {
			q.WriteString(" UNION ALL ")
		}
		q.WriteString(`SELECT CAST(? AS BIGINT) AS id, CAST(? AS BIGINT) AS at`)
		args = append(args, op, ms(at))
	}
	q.WriteString(`) v WHERE operators.id = v.id`)
	_, err = r.execAdhoc(q.String(), args...)
	return out, err
}

// queueTx is store.QueueTx inside a MoveQueue transaction.
type queueTx struct {
	chatTx
	chats []desk.Chat
	byID  map[int64]chatRow
}

func (t *queueTx) Waiting() []desk.Chat { return t.chats }

func (t *queueTx) Operators(ids []int64) (map[int64]desk.Operator, map[int64]int, error) {
	ops, counts := map[int64]desk.Operator{}, map[int64]int{}
	if len(ids) == 0 {
		return ops, counts, nil
	}
	in := marks(len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	// held in id order, so two moves holding several never wait on each other
	// in a circle
	err := t.s.held(func() error {
		rows, err := t.r.adhoc(`SELECT `+operatorColumns+` FROM operators WHERE id IN (`+in+`) ORDER BY id `+t.s.d.LockRow, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			o, err := scanOperator(rows)
			if err != nil {
				return err
			}
			ops[o.ID] = o
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, err
	}
	// counted once held: every assignment to them before is in the count
	rows, err := t.r.adhoc(`SELECT operator_id, count(*) FROM chats WHERE operator_id IN (`+in+`) AND state = 'active' GROUP BY operator_id`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, nil, err
		}
		counts[id] = n
	}
	return ops, counts, rows.Err()
}

func ignoreNotFound(err error) error {
	if desk.CodeOf(err) == desk.CodeNotFound {
		return nil
	}
	return err
}
