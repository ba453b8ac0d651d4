//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd || illumos

package datadir

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes flock(2)'s exclusive lock on f without waiting: false when
// another open file holds it. The lock belongs to this open file, so the
// kernel drops it when the file is closed or the process ends.
func tryLock(f *os.File) (held bool, err error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return false, err
	}
	ctlErr := rc.Control(func(fd uintptr) {
		for {
			err = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
			if !errors.Is(err, syscall.EINTR) {
				return
			}
		}
	})
	switch {
	case ctlErr != nil:
		return false, ctlErr
	case errors.Is(err, syscall.EWOULDBLOCK):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}
