package postgres_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"outputdesk/internal/store"
	"outputdesk/internal/store/postgres"
	"outputdesk/internal/store/postgres/pgtest"
	"outputdesk/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return pgtest.Open(t)
	})
}

// TestNodesMigrateTogether: four nodes starting at once on one empty
// database all come up, and the schema is applied once.
func TestNodesMigrateTogether(t *testing.T) {
	dbURL := pgtest.Database(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s, err := postgres.Open(context.Background(), dbURL)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
	}
	db, err := postgres.Connect(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations found: %v", err)
	}
	var n, distinct int
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct); err != nil || n != len(files) || distinct != n {
		t.Fatalf("schema_migrations has %d rows, %d versions (%v); want %d, each once", n, distinct, err, len(files))
	}
}

// The 0007 migration fills first_assigned_at and first_response_at in for
// chats stored before it, as the store records them live.
func TestHistoryBackfill(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.Database(t)
	s, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Backfill(t, s, func(store.Store) store.Store {
		for _, q := range []string{`ALTER TABLE chats DROP COLUMN first_assigned_at, DROP COLUMN first_response_at`,
			`DELETE FROM schema_migrations WHERE version = 7`} {
			if _, err := s.Writer().ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		s.Close()
		again, err := postgres.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { again.Close() })
		return again
	})
}
