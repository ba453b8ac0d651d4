package datadir

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The kernel's lock belongs to an open file, not to a process: a second
// Acquire in this process is refused as another process's would be.
func TestSecondAcquireIsRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "data")
	first, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, LockFile))
	if err != nil || string(b) != strconv.Itoa(os.Getpid())+"\n" {
		t.Fatalf("lock file holds %q (%v), want this pid", b, err)
	}

	_, err = Acquire(dir)
	var inUse *InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("second Acquire: err = %v, want *InUseError", err)
	}
	want := "another outputdesk process (pid " + strconv.Itoa(os.Getpid()) + ") is using the data dir " + dir + "; stop it first or use another --data-dir"
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}
	if b2, _ := os.ReadFile(filepath.Join(dir, LockFile)); string(b2) != string(b) {
		t.Errorf("the refused Acquire changed the lock file: %q, was %q", b2, b)
	}

	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	again.Release()
}

// A lock file left by an owner that is gone is no lock: only a held lock
// refuses, so a crash leaves nothing to clean up. (The pid here is longer
// than this process's: the file is rewritten, not overwritten in part.)
func TestLeftoverLockFileIsTaken(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, LockFile), []byte("1234567890123\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire over a leftover lock file: %v", err)
	}
	defer l.Release()
	if b, _ := os.ReadFile(filepath.Join(dir, LockFile)); string(b) != strconv.Itoa(os.Getpid())+"\n" {
		t.Errorf("lock file holds %q, want only this pid", b)
	}
}

// Acquire makes the dir and its lock file and touches nothing else: the
// database is opened later, by the owner.
func TestAcquireWritesOnlyTheLockFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "outputdesk.db"), []byte("not touched"), 0o640); err != nil {
		t.Fatal(err)
	}
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "outputdesk.db "+LockFile {
		t.Errorf("dir holds %v", names)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "outputdesk.db")); string(b) != "not touched" {
		t.Errorf("outputdesk.db changed: %q", b)
	}
}

func TestInUseMessageWithoutPID(t *testing.T) {
	// the owner has taken the lock but not written its pid yet
	err := &InUseError{Dir: "/srv/od"}
	if got, want := err.Error(), "another outputdesk process is using the data dir /srv/od; stop it first or use another --data-dir"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestReleaseTwice(t *testing.T) {
	l, err := Acquire(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Errorf("second Release: %v", err)
	}
}
