package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// procSnap is what /proc (and the server's gctrace, if given) says about a
// process at one moment.
type procSnap struct {
	At      time.Time
	CPU     float64 // user+sys seconds since the process started
	RSSKB   int64   // VmRSS
	HWMKB   int64   // VmHWM: the highest RSS so far
	Threads int
	FDs     int
	GC      *gcLine // the latest garbage collection, nil without --server-log
}

// clockTicks is the kernel's USER_HZ, the unit of /proc/<pid>/stat times,
// read from the auxiliary vector (AT_CLKTCK) since Go has no sysconf.
var clockTicks = func() float64 {
	b, err := os.ReadFile("/proc/self/auxv")
	if err != nil {
		return 100
	}
	for i := 0; i+16 <= len(b); i += 16 {
		if binary.NativeEndian.Uint64(b[i:]) == 17 { // AT_CLKTCK
			return float64(binary.NativeEndian.Uint64(b[i+8:]))
		}
	}
	return 100
}()

// procCPU is the user+sys CPU seconds of pid.
func procCPU(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// the command name may hold spaces and parentheses: fields start after
	// the last ')'; utime and stime are fields 14 and 15 of the line
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad utime/stime", pid)
	}
	return float64(ut+st) / clockTicks, nil
}

// snapshot reads pid's CPU, memory, threads and open files.
func snapshot(pid int) (procSnap, error) {
	s := procSnap{At: time.Now()}
	cpu, err := procCPU(pid)
	if err != nil {
		return s, err
	}
	s.CPU = cpu
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			s.RSSKB = n
		case "VmHWM":
			s.HWMKB = n
		case "Threads":
			s.Threads = int(n)
		}
	}
	if fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid)); err == nil {
		s.FDs = len(fds)
	}
	return s, nil
}

// gcLine is one line of GODEBUG=gctrace=1 output.
type gcLine struct {
	N        int
	AtSec    float64 // seconds since the process started
	Forced   bool
	LiveMB   int // heap marked live by this collection
	GoalMB   int
	StacksMB int
}

var gcRE = regexp.MustCompile(`^gc (\d+) @([\d.]+)s .* (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks`)

// parseGC reads a gctrace line; ok is false for any other line.
func parseGC(line string) (g gcLine, ok bool) {
	m := gcRE.FindStringSubmatch(line)
	if m == nil {
		return g, false
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	g.N, g.LiveMB, g.GoalMB, g.StacksMB = atoi(m[1]), atoi(m[5]), atoi(m[6]), atoi(m[7])
	g.AtSec, _ = strconv.ParseFloat(m[2], 64)
	g.Forced = strings.HasSuffix(strings.TrimSpace(line), "(forced)")
	return g, true
}

// lastGC is the latest collection in the server's log.
func lastGC(path string) (gcLine, bool) {
	f, err := os.Open(path)
	if err != nil {
		return gcLine{}, false
	}
	defer f.Close()
	var last gcLine
	found := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if g, ok := parseGC(sc.Text()); ok {
			last, found = g, true
		}
	}
	return last, found
}

// waitGC waits until the log shows a collection numbered above after (the
// runtime forces one every two minutes when none ran), or gives up.
func waitGC(ctx context.Context, path string, after int, limit time.Duration) (gcLine, bool) {
	deadline := time.Now().Add(limit)
	for {
		if g, ok := lastGC(path); ok && g.N > after {
			return g, true
		}
		if time.Now().After(deadline) {
			return gcLine{}, false
		}
		select {
		case <-ctx.Done():
			return gcLine{}, false
		case <-time.After(time.Second):
		}
	}
}

// machineBusy is the CPU seconds the whole machine spent busy (every
// /proc/stat cpu column except idle and iowait): other work on a shared
// machine shows up here and not in the server's or the tool's numbers.
func machineBusy() (float64, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var busy int64
	for i, v := range f[1:9] { // user nice system idle iowait irq softirq steal
		n, _ := strconv.ParseInt(v, 10, 64)
		if i != 3 && i != 4 {
			busy += n
		}
	}
	return float64(busy) / clockTicks, nil
}

// cpuPressure is the kernel's CPU pressure stall total (/proc/pressure/cpu
// "some": time in which at least one runnable task waited for a CPU).
func cpuPressure() (time.Duration, error) {
	b, err := os.ReadFile("/proc/pressure/cpu")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	_, total, ok := strings.Cut(line, "total=")
	if !strings.HasPrefix(line, "some ") || !ok {
		return 0, fmt.Errorf("/proc/pressure/cpu: unexpected line %q", line)
	}
	us, err := strconv.ParseInt(strings.TrimSpace(total), 10, 64)
	return time.Duration(us) * time.Microsecond, err
}
