package main

import (
	"os"
	"time"
)

// serverUse is what the server process (and odload itself) spent over a
// measured window, from /proc.
type serverUse struct {
	Measured   bool
	Secs       float64
	Cores      float64   // server CPU seconds / wall seconds
	Samples    quantiles // cores in each second of the window
	RSSStartKB int64
	RSSEndKB   int64
	HWMKB      int64 // the server's highest RSS so far, at the end
	ToolCores  float64
}

// serverWatch samples the server's CPU each second from start to finish.
type serverWatch struct {
	pid     int
	tool    func() float64 // odload's own CPU seconds, workers included
	t0      time.Time
	first   procSnap
	tool0   float64
	samples []float64
	stop    chan struct{}
	done    chan struct{}
}

// watchServer starts the window now; pid 0 measures only odload itself.
func watchServer(pid int, tool func() float64) *serverWatch {
	w := &serverWatch{pid: pid, tool: tool, t0: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	w.tool0 = tool()
	if pid == 0 {
		close(w.done)
		return w
	}
	w.first, _ = snapshot(pid)
	go w.sample()
	return w
}

func (w *serverWatch) sample() {
	defer close(w.done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	prev, prevAt := w.first.CPU, time.Now()
	for {
		select {
		case <-w.stop:
			return
		case now := <-tick.C:
			cpu, err := procCPU(w.pid)
			if err != nil {
				return
			}
			w.samples = append(w.samples, (cpu-prev)/now.Sub(prevAt).Seconds())
			prev, prevAt = cpu, now
		}
	}
}

// finish ends the window and returns what was spent in it.
func (w *serverWatch) finish() serverUse {
	if w.pid != 0 {
		close(w.stop)
	}
	<-w.done
	u := serverUse{Secs: time.Since(w.t0).Seconds()}
	u.ToolCores = (w.tool() - w.tool0) / u.Secs
	if w.pid == 0 || w.first.At.IsZero() {
		return u
	}
	end, err := snapshot(w.pid)
	if err != nil {
		return u
	}
	u.Measured = true
	u.Secs = end.At.Sub(w.first.At).Seconds()
	u.Cores = (end.CPU - w.first.CPU) / u.Secs
	u.Samples = summarize(w.samples)
	u.RSSStartKB, u.RSSEndKB, u.HWMKB = w.first.RSSKB, end.RSSKB, end.HWMKB
	return u
}

// selfCPU is odload's own CPU seconds plus those of the given workers.
func selfCPU(workers []*worker) func() float64 {
	return func() float64 {
		total, _ := procCPU(os.Getpid())
		for _, w := range workers {
			c, _ := procCPU(w.pid)
			total += c
		}
		return total
	}
}
