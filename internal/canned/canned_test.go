package canned_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/canned"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store/sqlite"
)

// Each change is announced once, for the consoles it concerns (owner 0:
// everyone; otherwise the owner), and a refused request announces nothing.
func TestAnnouncesWhatChanged(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "od.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	t0 := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	site, err := st.EnsureSite(ctx, desk.Site{Key: "pk", Name: "s", AllowedOrigins: []string{"*"}, CreatedAt: t0},
		desk.Settings{ChatRule: desk.ChatRuleManual, InactivityTimeout: time.Minute, LeftTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string, role desk.Role) desk.Operator {
		o, err := st.CreateOperator(ctx, desk.Operator{SiteID: site.ID, Name: name, Email: strings.ToLower(name) + "@x.test", PasswordHash: "x",
			Role: role, PriorityLevel: 1, ChatLimit: 1, Status: desk.StatusOnline, CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	admin, ann := mk("Ada", desk.RoleAdmin), mk("Ann", desk.RoleOperator)

	b := bus.NewMemory() // delivers as it publishes
	var heard []string
	if _, err := b.Subscribe(bus.SiteSubject(site.ID), func(data []byte) {
		e, err := bus.DecodeEvent(data)
		if err != nil {
			t.Error(err)
		}
		heard = append(heard, fmt.Sprintf("%s/%d", e.Kind, e.OwnerID))
	}); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(t0)
	svc := canned.New(canned.Deps{Store: st, Announce: bus.Announcer{Bus: b, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, Clock: clk, MaxMessageBytes: 20})
	yes, no := true, false

	expect := func(what string, want ...string) {
		t.Helper()
		if strings.Join(heard, " ") != strings.Join(want, " ") {
			t.Fatalf("%s: heard %v, want %v", what, heard, want)
		}
		heard = nil
	}
	shared, err := svc.CreateCannedReply(ctx, admin, protocol.CannedReplyInput{Shortcut: "ship", Text: "We ship.", Shared: &yes})
	if err != nil || !shared.Shared {
		t.Fatalf("shared: %+v %v", shared, err)
	}
	expect("a shared reply", "canned_replies/0")
	mine, err := svc.CreateCannedReply(ctx, ann, protocol.CannedReplyInput{Shortcut: "hi", Text: "Hi {visitor}"})
	if err != nil || mine.Shared || *mine.OwnerID != ann.ID {
		t.Fatalf("personal: %+v %v", mine, err)
	}
	expect("a personal reply", fmt.Sprintf("canned_replies/%d", ann.ID))

	clk.Advance(time.Minute)
	up, err := svc.UpdateCannedReply(ctx, ann, mine.ID, protocol.CannedReplyInput{Shortcut: "hello", Text: "Hello", Shared: &no})
	if err != nil || up.Shortcut != "hello" || time.Time(up.UpdatedAt) != t0.Add(time.Minute) || time.Time(up.CreatedAt) != t0 {
		t.Fatalf("update: %+v %v", up, err)
	}
	expect("an update", fmt.Sprintf("canned_replies/%d", ann.ID))

	for _, tc := range []struct {
		name string
		do   func() error
		code desk.Code
	}{
		{"operator makes a shared one", func() error {
			_, err := svc.CreateCannedReply(ctx, ann, protocol.CannedReplyInput{Shortcut: "x", Text: "x", Shared: &yes})
			return err
		}, desk.CodeForbidden},
		{"operator edits a shared one", func() error {
			_, err := svc.UpdateCannedReply(ctx, ann, shared.ID, protocol.CannedReplyInput{Shortcut: "x", Text: "x"})
			return err
		}, desk.CodeForbidden},
		{"admin deletes an operator's", func() error { return svc.DeleteCannedReply(ctx, admin, mine.ID) }, desk.CodeNotFound},
		{"text over the limit", func() error {
			_, err := svc.CreateCannedReply(ctx, ann, protocol.CannedReplyInput{Shortcut: "x", Text: strings.Repeat("x", 21)})
			return err
		}, desk.CodeTooLarge},
		{"a taken shortcut", func() error {
			_, err := svc.CreateCannedReply(ctx, admin, protocol.CannedReplyInput{Shortcut: "Ship", Text: "x", Shared: &yes})
			return err
		}, desk.CodeConflict},
		{"shared made personal", func() error {
			_, err := svc.UpdateCannedReply(ctx, admin, shared.ID, protocol.CannedReplyInput{Shortcut: "ship", Text: "x", Shared: &no})
			return err
		}, desk.CodeInvalid},
	} {
		if err := tc.do(); desk.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		expect(tc.name + " (refused)")
	}

	if err := svc.DeleteCannedReply(ctx, admin, shared.ID); err != nil {
		t.Fatal(err)
	}
	expect("deleting a shared reply", "canned_replies/0")
	list, err := svc.CannedReplies(ctx, ann)
	if err != nil || len(list) != 1 || list[0].Shortcut != "hello" {
		t.Fatalf("Ann's list at the end: %+v %v", list, err)
	}
}
