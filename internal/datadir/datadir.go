// Package datadir makes one process the owner of a data dir. Two servers
// writing one SQLite database each believe they alone decide (routing,
// deadlines, chat limits), so the second refuses to start instead: it takes
// an advisory lock on a file in the dir before anything else opens it. The
// operating system drops the lock when the process ends, however it ends
// (SIGKILL and crashes included), so no stale lock is ever left to clean up.
package datadir

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// LockFile is the file in the data dir that the owner holds locked. It
// holds the owner's pid, for the message another process prints; the lock,
// not the file, says who owns the dir, so the file stays after the owner
// has gone.
const LockFile = "outputdesk.lock"

// Lock is a data dir owned by this process until Release.
type Lock struct {
	file *os.File
}

// InUseError is Acquire's answer when another process owns the dir.
type InUseError struct {
	Dir string // absolute
	PID int    // the owner, 0 when it could not be read
}

func (e *InUseError) Error() string {
	who := "another outputdesk process"
	if e.PID > 0 {
		who += fmt.Sprintf(" (pid %d)", e.PID)
	}
	return who + " is using the data dir " + e.Dir + "; stop it first or use another --data-dir"
}

// Acquire makes dir if missing and takes its lock, without waiting: an
// *InUseError when another process holds it. Nothing else in the dir is
// read or written.
func Acquire(dir string) (*Lock, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	path := filepath.Join(abs, LockFile)
	// No O_TRUNC: the owner's pid stays readable until this process holds
	// the lock.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("data dir lock: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("data dir lock %s: %w", path, err)
	}
	if !held {
		pid := readPID(f)
		f.Close()
		return nil, &InUseError{Dir: abs, PID: pid}
	}
	if err := writePID(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("data dir lock %s: %w", path, err)
	}
	return &Lock{file: f}, nil
}

// Release gives the dir up. The process's end does it too.
func (l *Lock) Release() error {
	if l == nil || l.file == nil {
		return nil
	}
	err := l.file.Close() // closing the only descriptor drops the lock
	l.file = nil
	return err
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// readPID is the owner's pid from the lock file, 0 when the owner has not
// written it yet (it has just taken the lock) or it is not a number.
func readPID(f *os.File) int {
	b := make([]byte, 32)
	n, err := f.ReadAt(b, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:n])))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
