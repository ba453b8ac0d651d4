package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
	"outputdesk/internal/store/postgres/pgtest"
	"outputdesk/internal/store/sqlstore"
)

// observed records what an Observer hears.
type observed struct {
	mu     sync.Mutex
	calls  map[string]int
	failed map[string]int
}

func (o *observed) StoreCall(op string, took time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if took <= 0 {
		op += " (no time)"
	}
	o.calls[op]++
}

func (o *observed) StoreFailed(op string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.failed[op]++
}

// heard fails t unless the observer heard exactly want, calls and
// failures, since the last check.
func (o *observed) heard(t *testing.T, what string, calls, failed map[string]int) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if fmt.Sprint(o.calls) != fmt.Sprint(calls) || fmt.Sprint(o.failed) != fmt.Sprint(failed) {
		t.Errorf("%s: heard calls %v, failures %v; want calls %v, failures %v", what, o.calls, o.failed, calls, failed)
	}
	o.calls, o.failed = map[string]int{}, map[string]int{}
}

// Every call into the database is heard once, named by the Store method
// that made it: a statement outside a transaction, or a whole transaction
// (its statements are not timed apart). Failures are the database's, not
// the answers the store expects.
func TestObserver(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) *sqlstore.DB{
		"SQLite":     openSQLite,
		"PostgreSQL": func(t *testing.T) *sqlstore.DB { return openPostgres(t, pgtest.Database(t)) },
	} {
		t.Run(name, func(t *testing.T) { testObserver(t, open(t)) })
	}
}

func testObserver(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	site, err := s.EnsureSite(ctx, desk.Site{Key: "pk", Name: "S", AllowedOrigins: []string{"*"}, CreatedAt: t0},
		desk.Settings{ChatRule: desk.ChatRuleManual, InactivityTimeout: time.Hour, LeftTimeout: time.Hour})
	must(t, err)
	v, err := s.CreateVisitor(ctx, desk.Visitor{SiteID: site.ID, TokenHash: "h", Name: "V", CreatedAt: t0})
	must(t, err)
	op := desk.Operator{SiteID: site.ID, Name: "Anna", Email: "anna@example.com", PasswordHash: "x", Role: desk.RoleOperator,
		PriorityLevel: 1, ChatLimit: 2, Status: desk.StatusOnline, CreatedAt: t0}
	_, err = s.CreateOperator(ctx, op)
	must(t, err)

	o := &observed{calls: map[string]int{}, failed: map[string]int{}}
	s.Observe(o)

	_, err = s.Site(ctx, site.ID)
	must(t, err)
	o.heard(t, "a read", map[string]int{"Site": 1}, map[string]int{})

	chat, _, err := s.CreateChat(ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
		return desk.StartChat(desk.ChatStart{Visitor: v, First: desk.Message{Author: desk.AuthorVisitor, Body: "hi", ClientID: "c1"},
			Timeouts: desk.Timeouts{Inactivity: time.Hour, Left: time.Hour}}, t0)
	}})
	must(t, err)
	o.heard(t, "a transaction of several statements", map[string]int{"CreateChat": 1}, map[string]int{})

	_, err = s.Messages(ctx, chat.ID, 0, 0)
	must(t, err)
	o.heard(t, "a query", map[string]int{"Messages": 1}, map[string]int{})

	_, err = s.ListChats(ctx, store.ChatFilter{SiteID: site.ID, States: []desk.ChatState{desk.ChatWaiting}})
	must(t, err)
	must(t, s.DeleteSession(ctx, "no-such-session"))
	o.heard(t, "a query built for its filter, and a write", map[string]int{"ListChats": 1, "DeleteSession": 1}, map[string]int{})

	// a move that finds a chat waiting: the look, then the transaction
	_, err = s.MoveQueue(ctx, site.ID, 10, func(tx store.QueueTx) ([]desk.ChatChange, error) {
		if len(tx.Waiting()) != 1 {
			t.Errorf("the move sees %d chats waiting, want 1", len(tx.Waiting()))
		}
		return nil, nil
	})
	must(t, err)
	o.heard(t, "a move of the queue", map[string]int{"MoveQueue": 2}, map[string]int{})
	_, err = s.MoveQueue(ctx, site.ID+1, 10, func(tx store.QueueTx) ([]desk.ChatChange, error) {
		t.Error("a move of an empty queue decided")
		return nil, nil
	})
	must(t, err)
	o.heard(t, "a move that finds no chat waiting", map[string]int{"MoveQueue": 1}, map[string]int{})

	if _, err := s.Session(ctx, "no-such-session"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("Session = %v, want not found", err)
	}
	if _, err := s.CreateOperator(ctx, op); !errors.Is(err, desk.ErrConflict) {
		t.Fatalf("CreateOperator with an email in use = %v, want a conflict", err)
	}
	o.heard(t, "no row, and a uniqueness violation", map[string]int{"Session": 1, "CreateOperator": 1}, map[string]int{})

	// the database fails: a statement alone, and one in a transaction
	// (heard once, not again for the transaction it failed)
	for _, table := range []string{"invitation_rules", "action_rules"} {
		if _, err := s.Writer().ExecContext(ctx, "DROP TABLE "+table); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateInvitationRule(ctx, desk.InvitationRule{SiteID: site.ID, Name: "R", Message: "Hi"}); err == nil {
		t.Fatal("CreateInvitationRule with its table gone succeeded")
	}
	if _, err := s.CreateActionRule(ctx, desk.ActionRule{SiteID: site.ID, Name: "R", TargetOperatorID: 1}); err == nil {
		t.Fatal("CreateActionRule with its table gone succeeded")
	}
	o.heard(t, "failures", map[string]int{"CreateActionRule": 1, "CreateInvitationRule": 1}, map[string]int{"CreateActionRule": 1, "CreateInvitationRule": 1})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
