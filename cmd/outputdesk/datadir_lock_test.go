package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"outputdesk/internal/datadir"
	"outputdesk/internal/store/postgres/pgtest"
)

func inUseMessage(pid int, dir string) string {
	return fmt.Sprintf("another outputdesk process (pid %d) is using the data dir %s; stop it first or use another --data-dir", pid, dir)
}

// A second server on a data dir in use exits with the message and leaves
// the first serving; once the first has crashed (SIGKILL: nothing released
// by hand), a new one starts on the dir and finds the first one's data.
func TestOneServerPerDataDir(t *testing.T) {
	dir := t.TempDir()
	first := startServer(t, dir)

	code, _, stderr := runOutputdesk(t, nil, "--addr", "127.0.0.1:0", "--data-dir", dir)
	if code == 0 {
		t.Errorf("the second server exited 0")
	}
	if want := inUseMessage(first.cmd.Process.Pid, dir); !strings.Contains(stderr, want) {
		t.Errorf("the second server said:\n%s\nwant %q", stderr, want)
	}

	first.mustHealthy()
	first.createFirstAdmin() // the first still writes

	first.kill()
	again := startServer(t, dir)
	if code := again.logIn(); code != http.StatusOK {
		t.Errorf("log-in on the server started after the crash: %d, want 200", code)
	}
}

// Refused, a server has touched nothing: the data dir's lock is taken
// before the database is opened, so no database file is created, let
// alone migrated. The owner here is the test itself.
func TestRefusedServerTouchesNothing(t *testing.T) {
	dir := t.TempDir()
	owner, err := datadir.Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Release()

	code, _, stderr := runOutputdesk(t, nil, "--addr", "127.0.0.1:0", "--data-dir", dir, "--admin-email", adminEmail, "--admin-password", adminPassword)
	if code == 0 || !strings.Contains(stderr, inUseMessage(os.Getpid(), dir)) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{datadir.LockFile}) {
		t.Errorf("the refused server left %v in the data dir, want only %s", names, datadir.LockFile)
	}
}

// With --database-url the data dir holds nothing and is not locked: nodes
// on one machine may share a working directory and its default data dir.
func TestPostgreSQLNodeTakesNoDataDirLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "unused")
	owner, err := datadir.Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Release()
	node := startServer(t, dir, "--database-url", pgtest.Database(t))
	node.createFirstAdmin()
}
