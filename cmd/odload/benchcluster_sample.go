package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// cpuSampler reads, every second, the CPU seconds spent by each node, by
// odload and its workers, by PostgreSQL's processes and by NATS, and the
// whole machine's busy time and CPU pressure, so that the cores a window
// used can be split by who spent them. It also reads how many bytes wait in
// the sockets between the nodes and their clients, which tells a node
// that is late to write from a client that is late to read.
type cpuSampler struct {
	nodes map[int]string // pid → "node A"
	ports map[int]bool   // the nodes' listening ports
	self  int
	comm  string       // odload's own command name: its workers share it
	db    string       // the run's PostgreSQL database
	ourPG map[int]bool // postgres pid → whether it works for this run

	prev    map[int]float64 // each process's CPU at the last sample
	total   map[string]float64
	mu      sync.Mutex
	samples []cpuSample
	quit    chan struct{}
	done    chan struct{}
}

// cpuSample is the cumulative CPU seconds of each group at one moment.
type cpuSample struct {
	at    time.Time
	cpu   map[string]float64 // group → seconds since the sampler started
	busy  float64            // whole machine
	stall time.Duration      // CPU pressure "some" total
	q     sockQueues
}

// The groups besides the nodes.
const (
	groupOdload   = "odload"
	groupPostgres = "postgres"
	groupNATS     = "nats"
)

func startSampler(nodes map[int]string, ports map[int]bool, db string) *cpuSampler {
	s := &cpuSampler{nodes: nodes, ports: ports, self: os.Getpid(), db: db, ourPG: map[int]bool{}, prev: map[int]float64{}, total: map[string]float64{},
		quit: make(chan struct{}), done: make(chan struct{})}
	s.comm, _, _, _ = readStat(s.self)
	s.sample(true)
	go func() {
		defer close(s.done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-s.quit:
				return
			case <-tick.C:
				s.sample(false)
			}
		}
	}()
	return s
}

func (s *cpuSampler) stop() {
	close(s.quit)
	<-s.done
}

// group says whose a process is ("" for none of ours).
func (s *cpuSampler) group(pid, ppid int, comm string) string {
	switch {
	case s.nodes[pid] != "":
		return s.nodes[pid]
	case pid == s.self || (ppid == s.self && comm == s.comm):
		return groupOdload
	case comm == "postgres" && s.isOurPG(pid):
		return groupPostgres
	case comm == "nats-server":
		return groupNATS
	}
	return ""
}

// isOurPG reads a PostgreSQL process's title once it has one: a backend
// just forked still shows the postmaster's command line for a moment.
func (s *cpuSampler) isOurPG(pid int) bool {
	if ours, known := s.ourPG[pid]; known {
		return ours
	}
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	ours := ourPostgres(string(b), s.db)
	if strings.HasPrefix(string(b), "postgres: ") {
		s.ourPG[pid] = ours
	}
	return ours
}

// clientBackend matches the title of a PostgreSQL backend serving a client
// ("postgres: 15/main: user db 127.0.0.1(40312) idle") or an autovacuum
// worker, both of which name their database.
var clientBackend = regexp.MustCompile(`\(\d+\)|\[local\]|autovacuum worker`)

// ourPostgres says whether a PostgreSQL process works for this run: one
// of its database, or one the whole server shares (WAL writer,
// checkpointer…). Other databases' backends — other people's tests on the
// same PostgreSQL — are not counted.
func ourPostgres(cmdline, db string) bool {
	return strings.Contains(cmdline, db) || !clientBackend.MatchString(cmdline)
}

// sample adds each process's CPU since the last sample to its group. A
// process first seen after the first sample started since: all its CPU
// counts. One that exited took its last interval with it, which loses
// under a second of a short-lived PostgreSQL backend.
func (s *cpuSampler) sample(first bool) {
	ents, _ := os.ReadDir("/proc")
	seen := map[int]float64{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, ppid, cpu, err := readStat(pid)
		if err != nil {
			continue
		}
		g := s.group(pid, ppid, comm)
		if g == "" {
			continue
		}
		seen[pid] = cpu
		if !first {
			s.total[g] += cpu - s.prev[pid]
		}
	}
	s.prev = seen
	smp := cpuSample{at: time.Now(), cpu: map[string]float64{}}
	for g, v := range s.total {
		smp.cpu[g] = v
	}
	smp.busy, _ = machineBusy()
	smp.stall, _ = cpuPressure()
	smp.q, _ = readQueues(s.ports)
	s.mu.Lock()
	s.samples = append(s.samples, smp)
	s.mu.Unlock()
}

// readStat is a process's command name, parent and user+sys CPU seconds
// from /proc/<pid>/stat.
func readStat(pid int) (comm string, ppid int, cpu float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", 0, 0, err
	}
	line := string(b)
	open, end := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
	if open < 0 || end < open {
		return "", 0, 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(line[end+1:])
	if len(f) < 13 {
		return "", 0, 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	ppid, _ = strconv.Atoi(f[1])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return line[open+1 : end], ppid, float64(ut+st) / clockTicks, nil
}

// cpuUse is the cores each group used over a window.
type cpuUse struct {
	Secs     float64
	Cores    map[string]float64
	Machine  float64 // the whole machine busy, in cores
	Pressure float64 // share of the window some task waited for a CPU
	// the samples' socket queues: mean and largest
	QueueMean, QueueMax sockQueues
}

// window is the use between the first sample at or after start and the
// last at or before end.
func (s *cpuSampler) window(start, end time.Time) cpuUse {
	s.mu.Lock()
	defer s.mu.Unlock()
	return useBetween(s.samples, start, end)
}

func useBetween(samples []cpuSample, start, end time.Time) cpuUse {
	a, b := -1, -1
	for i, smp := range samples {
		if a < 0 && !smp.at.Before(start) {
			a = i
		}
		if !smp.at.After(end) {
			b = i
		}
	}
	if a < 0 || b <= a {
		return cpuUse{}
	}
	s0, s1 := samples[a], samples[b]
	u := cpuUse{Secs: s1.at.Sub(s0.at).Seconds(), Cores: map[string]float64{}}
	for g, v := range s1.cpu {
		u.Cores[g] = (v - s0.cpu[g]) / u.Secs
	}
	u.Machine = (s1.busy - s0.busy) / u.Secs
	u.Pressure = float64(s1.stall-s0.stall) / float64(s1.at.Sub(s0.at))
	var sum sockQueues
	for _, smp := range samples[a : b+1] {
		sum.ClientRx += smp.q.ClientRx
		sum.NodeTx += smp.q.NodeTx
		u.QueueMax.ClientRx = max(u.QueueMax.ClientRx, smp.q.ClientRx)
		u.QueueMax.NodeTx = max(u.QueueMax.NodeTx, smp.q.NodeTx)
	}
	n := int64(b + 1 - a)
	u.QueueMean = sockQueues{ClientRx: sum.ClientRx / n, NodeTx: sum.NodeTx / n}
	return u
}

// sockQueues are bytes waiting in the TCP sockets between the nodes and
// their clients: received by a client's socket and not read by it yet, and
// written by a node and not yet taken by the client's side.
type sockQueues struct {
	ClientRx, NodeTx int64
}

// readQueues reads the queues from /proc/net/tcp.
func readQueues(ports map[int]bool) (sockQueues, error) {
	if len(ports) == 0 {
		return sockQueues{}, nil
	}
	b, err := os.ReadFile("/proc/net/tcp")
	return parseQueues(string(b), ports), err
}

// parseQueues sums the queues of the sockets to and from the given ports
// (local port one of them: a node's end; remote port: a client's end).
// Listening sockets are left out: their columns are the accept backlog.
func parseQueues(table string, ports map[int]bool) sockQueues {
	var q sockQueues
	for _, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || f[0] == "sl" || f[3] == "0A" {
			continue
		}
		tx, rx, _ := strings.Cut(f[4], ":")
		switch {
		case ports[hexPort(f[1])]:
			n, _ := strconv.ParseInt(tx, 16, 64)
			q.NodeTx += n
		case ports[hexPort(f[2])]:
			n, _ := strconv.ParseInt(rx, 16, 64)
			q.ClientRx += n
		}
	}
	return q
}

// hexPort is the port of a /proc/net/tcp address ("0100007F:1F90").
func hexPort(addr string) int {
	_, p, _ := strings.Cut(addr, ":")
	n, _ := strconv.ParseInt(p, 16, 32)
	return int(n)
}
