package main

// The tests here that need real processes run this test binary as the
// outputdesk binary: with runMainEnv set, TestMain runs main() with the
// arguments given instead of the tests. So no build of its own, and the
// child runs under -race when the tests do.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"outputdesk/internal/testwait"
)

const runMainEnv = "OUTPUTDESK_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// proc is one outputdesk process.
type proc struct {
	t       *testing.T
	cmd     *exec.Cmd
	stdout  testwait.Log
	stderr  testwait.Log
	console chan string   // the base URL, once the server says it serves
	exited  chan struct{} // closed when the process has exited
	base    string
}

// startOutputdesk starts `outputdesk args...` without waiting for it. env
// is added to an environment without any OUTPUTDESK_* setting of the
// caller's. The process is killed, if still running, when t ends.
func startOutputdesk(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: exec.Command(self, args...), console: make(chan string, 1), exited: make(chan struct{})}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OUTPUTDESK_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	p.cmd.Env = append(append(p.cmd.Env, runMainEnv+"=1"), env...)
	p.cmd.Stderr = &p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.stdout.Write([]byte(sc.Text() + "\n"))
			if url, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Console: "); ok {
				p.console <- strings.TrimSuffix(url, "/console/")
			}
		}
		io.Copy(io.Discard, stdout)
		p.cmd.Wait() // after every read, as exec wants
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGTERM) // an error: it has ended already
		if !p.awaitEnd() {
			t.Errorf("outputdesk did not end on SIGTERM")
			p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("outputdesk %s:\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), &p.stdout, &p.stderr)
		}
	})
	return p
}

// startServer starts a server on dataDir on a free port and waits until it
// answers /healthz.
func startServer(t *testing.T, dataDir string, flags ...string) *proc {
	t.Helper()
	p := startOutputdesk(t, nil, append([]string{"--addr", "127.0.0.1:0", "--data-dir", dataDir}, flags...)...)
	expired, stop := testwait.Expiry(t)
	defer stop()
	select {
	case p.base = <-p.console:
	case <-p.exited:
		t.Fatalf("outputdesk on %s exited at start (%s):\n%s", dataDir, p.cmd.ProcessState, &p.stderr)
	case <-expired:
		t.Fatalf("gave up waiting for outputdesk on %s to start", dataDir)
	}
	p.mustHealthy()
	return p
}

// runOutputdesk runs `outputdesk args...` to its end; a server it starts
// instead fails the test.
func runOutputdesk(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	p := startOutputdesk(t, env, args...)
	return p.awaitExit()
}

// awaitExit waits for the process to end and returns its exit code and
// output.
func (p *proc) awaitExit() (code int, stdout, stderr string) {
	p.t.Helper()
	expired, stop := testwait.Expiry(p.t)
	defer stop()
	select {
	case <-p.exited:
	case base := <-p.console:
		p.t.Fatalf("outputdesk %s started a server at %s instead of exiting", strings.Join(p.cmd.Args[1:], " "), base)
	case <-expired:
		p.t.Fatalf("gave up waiting for outputdesk %s to exit", strings.Join(p.cmd.Args[1:], " "))
	}
	return p.cmd.ProcessState.ExitCode(), p.stdout.String(), p.stderr.String()
}

// kill ends the process as a crash would, and waits for it.
func (p *proc) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		p.t.Fatalf("SIGKILL: %v", err)
	}
	if !p.awaitEnd() {
		p.t.Fatal("gave up waiting for outputdesk to die")
	}
}

// awaitEnd waits for the process to exit, false if the wait gave up.
func (p *proc) awaitEnd() bool {
	expired, stop := testwait.Expiry(p.t)
	defer stop()
	select {
	case <-p.exited:
		return true
	case <-expired:
		return false
	}
}

// request sends a JSON request to the server and returns the status; the
// answer is decoded into out when given.
func (p *proc) request(method, path string, body, out any) int {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	ctx := context.Background()
	if at := testwait.GiveUpAt(p.t); !at.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, at)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	if err != nil {
		p.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			p.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return res.StatusCode
}

func (p *proc) mustHealthy() {
	p.t.Helper()
	if code := p.request("GET", "/healthz", nil, nil); code != http.StatusOK {
		p.t.Fatalf("GET /healthz: %d", code)
	}
}

const (
	adminEmail    = "ada@example.com"
	adminPassword = "correct horse battery"
)

// createFirstAdmin writes to the server's database through its API, as the
// console's first visit does.
func (p *proc) createFirstAdmin() {
	p.t.Helper()
	if code := p.request("POST", "/api/setup/admin", map[string]string{"name": "Ada Admin", "email": adminEmail, "password": adminPassword}, nil); code != http.StatusCreated {
		p.t.Fatalf("POST /api/setup/admin: %d", code)
	}
}

// logIn is the admin's log-in: 200 when the server's database holds the
// account.
func (p *proc) logIn() int {
	p.t.Helper()
	return p.request("POST", "/api/session", map[string]string{"email": adminEmail, "password": adminPassword}, nil)
}
