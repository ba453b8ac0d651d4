package main

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"outputdesk/internal/store/postgres/pgtest"

	"golang.org/x/crypto/bcrypt"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
	"outputdesk/internal/store/sqlstore"
)

func TestSeed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func(t *testing.T) options
	}{
		{"sqlite", func(t *testing.T) options { return options{DataDir: t.TempDir() + "/data"} }},
		{"postgres", func(t *testing.T) options { return options{DatabaseURL: pgtest.Database(t)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.store(t)
			o.EndedChats, o.chunk = 53, 20 // three transactions, the last one short
			o.AdminEmail, o.AdminPassword = "Admin@Bench.test", "bench-password"
			var out strings.Builder
			if err := run(context.Background(), o, &out); err != nil {
				t.Fatalf("odseed: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "53 of 53 chats") || !strings.Contains(out.String(), "chats                      53") {
				t.Errorf("output lacks the progress or the counts:\n%s", out.String())
			}
			st, err := openStore(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			checkSeeded(t, st, 53)

			// a second run adds to the history, with the same operators
			o.EndedChats = 30
			if err := run(context.Background(), o, &out); err != nil {
				t.Fatalf("odseed again: %v", err)
			}
			checkSeeded(t, st, 83)
			freshChatID(t, st)
		})
	}
}

// checkSeeded checks a store seeded with n ended chats in all: the site as
// the server makes it, the admin, the history operators out of routing's
// way, every chat ended with its lines, and nothing open.
func checkSeeded(t *testing.T, st *sqlstore.DB, n int) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	site, err := st.EnsureSite(ctx, desk.Site{Key: "pk_other"}, desk.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	set, err := st.Settings(ctx, site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^pk_[0-9a-f]{32}$`).MatchString(site.Key) || site.Name != "My website" || len(site.AllowedOrigins) != 1 || site.AllowedOrigins[0] != "*" ||
		!reflect.DeepEqual(set, desk.Settings{ChatRule: desk.ChatRuleManual, InvitationText: desk.DefaultInvitationText, InactivityTimeout: 20 * time.Minute, LeftTimeout: 20 * time.Minute, Appearance: desk.DefaultAppearance()}) {
		t.Errorf("site %+v with settings %+v is not the server's first-start site", site, set)
	}
	admin, err := st.OperatorByEmail(ctx, "admin@bench.test")
	if err != nil {
		t.Fatalf("the admin: %v", err)
	}
	if admin.Role != desk.RoleAdmin || bcrypt.CompareHashAndPassword([]byte(admin.PasswordHash), []byte("bench-password")) != nil {
		t.Errorf("admin = %+v, or the password does not match", admin)
	}
	ops, err := st.Operators(ctx, site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1+historyOperators {
		t.Fatalf("%d operators, want the admin and %d history operators", len(ops), historyOperators)
	}
	for _, o := range ops[1:] {
		if !strings.HasSuffix(o.Email, "@odseed.test") || o.Status != desk.StatusOffline || o.ChatLimit != 0 || o.Role != desk.RoleOperator {
			t.Errorf("history operator %+v may get the benchmark's chats", o)
		}
	}

	chats, err := st.ListChats(ctx, store.ChatFilter{SiteID: site.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(chats) != n {
		t.Fatalf("%d chats, want %d", len(chats), n)
	}
	reasons := map[desk.EndReason]int{}
	for i, c := range chats {
		reasons[c.EndReason]++
		if c.State != desk.ChatEnded || c.EndedAt.Before(c.CreatedAt) || !c.Deadline.IsZero() || c.LastMessage == nil ||
			c.LastMessage.Author != desk.AuthorSystem || c.LastMessage.Body != desk.EndText(c.EndReason) || c.LastSeq < 3 || c.LastSeq > 4 {
			t.Fatalf("chat %+v is not an ended chat with 3 or 4 lines, the end line last", c)
		}
		if c.CreatedAt.Before(now.Add(-91*24*time.Hour)) || c.CreatedAt.After(now) || (i > 0 && c.ID >= chats[i-1].ID) {
			t.Fatalf("chat %d created at %v: not in the last 90 days, or out of order", c.ID, c.CreatedAt)
		}
	}
	if len(reasons) != 3 {
		t.Errorf("end reasons %v, want a mix of all three", reasons)
	}
	msgs, err := st.Messages(ctx, chats[0].ID, 0, 0)
	if err != nil || int64(len(msgs)) != chats[0].LastSeq || msgs[0].Author != desk.AuthorVisitor {
		t.Errorf("chat %d's messages: %+v, %v", chats[0].ID, msgs, err)
	}

	open, err := st.ListChats(ctx, store.ChatFilter{SiteID: site.ID, States: []desk.ChatState{desk.ChatWaiting, desk.ChatActive}})
	if err != nil || len(open) != 0 {
		t.Errorf("open chats after seeding: %d, %v", len(open), err)
	}
	due, err := st.DueChats(ctx, now.Add(365*24*time.Hour))
	if err != nil || len(due) != 0 {
		t.Errorf("due chats after seeding: %d, %v", len(due), err)
	}
	active, err := st.ActiveChatCounts(ctx, site.ID)
	if err != nil || len(active) != 0 {
		t.Errorf("active chat counts after seeding: %v, %v", active, err)
	}
}

// freshChatID: the server's next visitor and chat get ids past the history.
func freshChatID(t *testing.T, st *sqlstore.DB) {
	ctx := context.Background()
	last, err := st.ListChats(ctx, store.ChatFilter{Limit: 1})
	if err != nil || len(last) != 1 {
		t.Fatal(last, err)
	}
	v, err := st.CreateVisitor(ctx, desk.Visitor{SiteID: last[0].SiteID, TokenHash: "after-seed", CreatedAt: time.Now()})
	if err != nil {
		t.Fatalf("a visitor after seeding: %v", err)
	}
	c, _, err := st.CreateChat(ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
		return desk.StartChat(desk.ChatStart{Visitor: v, First: desk.Message{Author: desk.AuthorVisitor, Body: "hi", ClientID: "x"}, Timeouts: timeouts}, time.Now())
	}})
	if err != nil || c.ID <= last[0].ID {
		t.Fatalf("a chat after seeding: id %d (history up to %d), %v", c.ID, last[0].ID, err)
	}
}

func TestSeedNeedsAnAdminOnAnEmptyStore(t *testing.T) {
	o := options{DataDir: t.TempDir(), EndedChats: 1, chunk: 10}
	err := run(context.Background(), o, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "--admin-email") {
		t.Fatalf("seeding a store with no operator and no admin: err = %v", err)
	}
}

func TestParseFlags(t *testing.T) {
	env := map[string]string{"OUTPUTDESK_ADMIN_EMAIL": "a@b.test", "OUTPUTDESK_ADMIN_PASSWORD": "password1", "OUTPUTDESK_DATABASE_URL": "postgres://h/db", "OUTPUTDESK_DATA_DIR": "/srv"}
	getenv := func(k string) string { return env[k] }
	o, err := parseFlags([]string{"--ended-chats", "1000000", "--data-dir", "d"}, getenv, &strings.Builder{})
	if err != nil || o.EndedChats != 1000000 || o.DataDir != "d" || o.DatabaseURL != "" || o.AdminEmail != "a@b.test" || o.AdminPassword != "password1" {
		t.Fatalf("got %+v, %v", o, err)
	}
	for args, want := range map[string]string{
		"--data-dir d":                  "--ended-chats N is required",
		"--ended-chats -3 --data-dir d": "--ended-chats N is required",
		"--ended-chats 5":               "give one store",
		"--ended-chats 5 --data-dir d --database-url postgres://h/db": "give one store",
		"--ended-chats 5 --database-url mysql://h/db":                 "postgres:// URL",
		"--ended-chats 5 --data-dir d extra":                          `unexpected argument "extra"`,
	} {
		if _, err := parseFlags(strings.Fields(args), getenv, &strings.Builder{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", args, err, want)
		}
	}
}
