package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// BenchmarkChatLifecycle: one chat's writes — created, taken, a message
// each way, ended — on a store with the writer to itself.
func BenchmarkChatLifecycle(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t0 := time.Now()
	site, _ := s.EnsureSite(ctx, desk.Site{Key: "pk", Name: "S", AllowedOrigins: []string{"*"}, CreatedAt: t0},
		desk.Settings{ChatRule: desk.ChatRuleAutomatic, InactivityTimeout: time.Hour, LeftTimeout: time.Hour})
	op, _ := s.CreateOperator(ctx, desk.Operator{SiteID: site.ID, Name: "Op", Email: "op@x.test", Role: desk.RoleOperator, PriorityLevel: 1, ChatLimit: 5, Status: desk.StatusOnline})
	tm := desk.Timeouts{Inactivity: time.Hour, Left: time.Hour}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v, err := s.CreateVisitor(ctx, desk.Visitor{SiteID: site.ID, TokenHash: fmt.Sprint(i), Name: "V", CreatedAt: t0})
		if err != nil {
			b.Fatal(err)
		}
		c, _, err := s.CreateChat(ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
			return desk.StartChat(desk.ChatStart{Visitor: v, First: desk.Message{Author: desk.AuthorVisitor, Body: "hi", ClientID: "c"}, Timeouts: tm}, t0)
		}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.ChangeChat(ctx, store.ChatRef{ID: c.ID}, func(tx store.ChatTx) (desk.ChatChange, error) {
			if _, _, err := tx.Load(); err != nil {
				return desk.ChatChange{}, err
			}
			if _, _, err := tx.Operator(op.ID); err != nil {
				return desk.ChatChange{}, err
			}
			return desk.Take(tx.Chat(), op, t0)
		}); err != nil {
			b.Fatal(err)
		}
		m := desk.Message{Author: desk.AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, Body: "hello", ClientID: "o", CreatedAt: t0}
		if _, _, _, err := s.AddMessage(ctx, store.ChatRef{ID: c.ID}, m, func(c desk.Chat) (desk.ChatChange, error) { return desk.WriteAsOperator(c, op) }); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ChangeChat(ctx, store.ChatRef{ID: c.ID}, func(tx store.ChatTx) (desk.ChatChange, error) {
			return desk.End(tx.Chat(), desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t0}), nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}
