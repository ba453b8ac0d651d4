// Package pgtest gives tests a PostgreSQL database of their own, on the
// server named by OUTPUTDESK_TEST_POSTGRES_URL (default: the machine's,
// postgres@127.0.0.1:5432), dropped when the test ends. A PostgreSQL that
// cannot be reached fails the test; it never skips it.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"outputdesk/internal/store/postgres"
	"outputdesk/internal/store/sqlstore"
)

// AdminURL is the database tests connect to to create theirs.
func AdminURL() string {
	if u := os.Getenv("OUTPUTDESK_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Database creates an empty database and returns its URL; it is dropped
// when t ends.
func Database(t testing.TB) string {
	t.Helper()
	admin, err := postgres.Connect(AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "od_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("PostgreSQL at %s: %v (the tests need it running; .ci/run starts it)", AdminURL(), err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
	})
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	// A small pool: a node opens its whole pool at start, and the tests of
	// several packages share the server's connections.
	q := u.Query()
	q.Set("pool_max_conns", "4")
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens the Store on a fresh database, closed when t ends.
func Open(t testing.TB) *sqlstore.DB {
	t.Helper()
	s, err := postgres.Open(context.Background(), Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
