package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"outputdesk/internal/store"
	"outputdesk/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "outputdesk.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestReopenKeepsDataAndSkipsAppliedMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "outputdesk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Writer().ExecContext(ctx, `INSERT INTO sites (key, name, allowed_origins, chat_rule, invitation_text, inactivity_timeout_ms, left_timeout_ms, created_at)
		VALUES ('pk', 'S', '["*"]', 'Manual', 'x', 1, 1, 1)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, err := s.SiteByKey(ctx, "pk"); err != nil {
		t.Fatalf("site gone after reopen: %v", err)
	}
}

// The 0008 migration fills first_assigned_at and first_response_at in for
// chats stored before it, as the store records them live.
func TestHistoryBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "outputdesk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Backfill(t, s, func(store.Store) store.Store {
		for _, q := range []string{`DROP INDEX chats_report`, `ALTER TABLE chats DROP COLUMN first_assigned_at`,
			`ALTER TABLE chats DROP COLUMN first_response_at`, `DELETE FROM schema_migrations WHERE version = 8`} {
			if _, err := s.Writer().ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		s.Close()
		again, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { again.Close() })
		return again
	})
}
