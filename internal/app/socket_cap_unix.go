//go:build unix

package app

import "syscall"

// socketCap is the most sockets to hold open: the setting, or else the
// process's open-file limit less room for the database, logs and listener,
// so a full server answers 503 instead of failing to accept.
func socketCap(setting int) int {
	if setting > 0 {
		return setting
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < 1024 {
		return 0
	}
	return int(lim.Cur) - 256
}
