package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat (USER_HZ, 100 on
// every Linux architecture Go supports).
const userHZ = 100

// residentBytes returns the process's resident set size (VmRSS).
func residentBytes(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read VmRSS: %w", err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parse VmRSS %q: %w", v, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// cpuTime returns the user plus system CPU time the process has used.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read CPU time: %w", err)
	}
	// The command name in parentheses may hold spaces; fields after it
	// are plain. utime and stime are fields 14 and 15 of the whole line.
	end := bytes.LastIndexByte(b, ')')
	if end < 0 {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	f := strings.Fields(string(b[end+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	var ticks int64
	for _, s := range f[11:13] {
		t, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse /proc/%d/stat: %w", pid, err)
		}
		ticks += t
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// cpuUse is CPU time used so far by the server, by this process and by
// the whole machine.
type cpuUse struct {
	server, self, machine time.Duration
}

// readCPU reads the CPU time used by the server process pid, by this
// process and by the machine.
func readCPU(pid int) (cpuUse, error) {
	var u cpuUse
	var err error
	if u.server, err = cpuTime(pid); err != nil {
		return u, err
	}
	if u.self, err = cpuTime(os.Getpid()); err != nil {
		return u, err
	}
	if u.machine, err = machineBusy(); err != nil {
		return u, err
	}
	return u, nil
}

func (u cpuUse) sub(v cpuUse) cpuUse {
	return cpuUse{server: u.server - v.server, self: u.self - v.self, machine: u.machine - v.machine}
}

// othersShare is the share of the machine's busy time that neither the
// server nor this process used.
func (u cpuUse) othersShare() float64 {
	if u.machine <= 0 {
		return 0
	}
	return max(0, float64(u.machine-u.server-u.self)/float64(u.machine))
}

// machineBusy returns the CPU time all processors spent not idle, from the
// first line of /proc/stat (user nice system idle iowait irq softirq steal
// ...).
func machineBusy() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("read machine CPU time: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, fmt.Errorf("malformed /proc/stat line %q", line)
	}
	var busy int64
	for i, s := range f[1:9] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		t, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse /proc/stat: %w", err)
		}
		busy += t
	}
	return time.Duration(busy) * time.Second / userHZ, nil
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// server is a server process the harness started.
type server struct {
	name string
	addr string
	cmd  *exec.Cmd
	exit chan error // receives the process's exit
}

// startServer runs the command, which must listen on addr, and waits until
// GET readyPath answers 200. The process's output goes to logPath (or
// nowhere when it is empty).
func startServer(ctx context.Context, name, addr, readyPath, logPath string, argv ...string) (*server, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "GOTRACEBACK=all")
	// Should the harness die, its servers go too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if logPath != "" {
		f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, fmt.Errorf("%s log: %w", name, err)
		}
		defer f.Close()
		cmd.Stdout, cmd.Stderr = f, f
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, addr: addr, cmd: cmd, exit: make(chan error, 1)}
	go func() { s.exit <- cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	c := newClient(addr, "")
	defer c.close()
	req := appendRequest(nil, &request{method: "GET", path: readyPath, host: addr})
	for {
		rs, err := c.do(req)
		if err == nil && rs.status == 200 {
			return s, nil
		}
		select {
		case err := <-s.exit:
			s.exit <- err
			return nil, fmt.Errorf("%s exited before it was ready: %v (-log-dir keeps its output)", name, err)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s not ready on %s after 30s: %v", name, addr, err)
		}
	}
}

// pid returns the server's process ID.
func (s *server) pid() int { return s.cmd.Process.Pid }

// alive returns an error if the process has exited.
func (s *server) alive() error {
	select {
	case err := <-s.exit:
		s.exit <- err
		return fmt.Errorf("%s exited: %v", s.name, err)
	default:
		return nil
	}
}

// stop ends the process with SIGTERM, then SIGKILL after 10 seconds.
func (s *server) stop() {
	if s.alive() != nil {
		return
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.cmd.Process.Kill()
	}
	select {
	case err := <-s.exit:
		s.exit <- err
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
	}
}
