//go:build linux

package sinks

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock (flock) on f without waiting,
// returning ErrInUse if another open file holds it: another process, or
// another sink in this process, since flock locks belong to an open file
// rather than to a process. Closing f releases the lock, and so does the
// end of the process, however it ends.
func lockFile(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	var lerr error
	err = rc.Control(func(fd uintptr) {
		for {
			lerr = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
			if !errors.Is(lerr, syscall.EINTR) {
				return
			}
		}
	})
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	if errors.Is(lerr, syscall.EWOULDBLOCK) {
		return ErrInUse
	}
	if lerr != nil {
		return fmt.Errorf("lock: %w", lerr)
	}
	return nil
}
