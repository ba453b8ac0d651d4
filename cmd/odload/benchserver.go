package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// benchServer is one server bench-store started on a fresh store, with
// everything needed to take it all down again.
type benchServer struct {
	bo       benchOptions
	dir      string // data dir; also holds the server's and the seeder's logs
	dbName   string // PostgreSQL database, "" for SQLite
	dbURL    string
	cmd      *exec.Cmd
	done     chan struct{} // closed when the server process has exited
	waitErr  error
	url      string
	seedNote string
	keepLog  string // copy the server's log here before the data dir goes (bench-cluster --logs-dir)
}

// prepareAndStart makes a fresh store, seeds it with hist ended chats, and
// starts the server on it. The server it returns (even with an error) must
// be cleaned up.
func prepareAndStart(ctx context.Context, bo benchOptions, store string, hist int) (*benchServer, error) {
	dir, err := os.MkdirTemp("", "odbench-"+store+"-")
	if err != nil {
		return nil, err
	}
	s := &benchServer{bo: bo, dir: dir}
	if store == "postgres" && !acceptsFlag(bo.Bin, "database-url") {
		return s, fmt.Errorf("%s does not accept --database-url (its --help does not list it): this binary cannot run on PostgreSQL yet", bo.Bin)
	}
	if store == "postgres" {
		s.dbName = "odbench_" + randomHex(6)
		admin, _ := loopbackPG(bo.PGAdminURL)
		s.dbURL = withDatabase(admin, s.dbName)
		if err := s.psql("CREATE DATABASE " + s.dbName); err != nil {
			s.dbName = ""
			return s, fmt.Errorf("creating the database: %w", err)
		}
		fmt.Fprintf(os.Stderr, "database %s created\n", s.dbName)
	}
	if hist > 0 {
		if err := s.seed(ctx, hist); err != nil {
			return s, err
		}
	}
	return s, s.start(ctx)
}

// storeArgs points a program at this store.
func (s *benchServer) storeArgs(forSeed bool) []string {
	if s.dbURL != "" {
		if forSeed {
			return []string{"--database-url", s.dbURL}
		}
		return []string{"--data-dir", s.dir, "--database-url", s.dbURL}
	}
	return []string{"--data-dir", s.dir}
}

// env is the environment of the seeder and the server: odload's admin is
// the first admin, so the modes can log in. Every other OUTPUTDESK_*
// variable of the caller's shell is left out: an OUTPUTDESK_DATABASE_URL
// there would quietly turn a "sqlite" run into a PostgreSQL one.
func (s *benchServer) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OUTPUTDESK_") {
			env = append(env, kv)
		}
	}
	return append(env, "OUTPUTDESK_ADMIN_EMAIL="+s.bo.load.AdminEmail, "OUTPUTDESK_ADMIN_PASSWORD="+s.bo.load.AdminPassword)
}

func (s *benchServer) seed(ctx context.Context, n int) error {
	args := append([]string{"--ended-chats", fmt.Sprint(n)}, s.storeArgs(true)...)
	logPath := filepath.Join(s.dir, "seed.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	fmt.Fprintf(os.Stderr, "seeding: %s %s\n", s.bo.SeedBin, strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, s.bo.SeedBin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = s.env(), logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("seeding %d ended chats with %s: %w; %s", n, s.bo.SeedBin, err, tail(logPath, 10))
	}
	s.seedNote = fmt.Sprintf("seeded %d ended chats in %.0f s", n, time.Since(t0).Seconds())
	fmt.Fprintln(os.Stderr, s.seedNote)
	return nil
}

// start runs the server on a free loopback port and waits for /healthz.
func (s *benchServer) start(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	args := append([]string{"--addr", addr}, s.storeArgs(false)...)
	args = append(args, "--log-level", "warn")
	args = append(args, s.bo.ServerArgs...)
	logPath := filepath.Join(s.dir, "server.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logf.Close() // the child has its own copy
	s.cmd = exec.Command(s.bo.Bin, args...)
	s.cmd.Env, s.cmd.Stdout, s.cmd.Stderr = s.env(), logf, logf
	// the server dies with odload, so no run leaves one behind
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", s.bo.Bin, err)
	}
	s.done = make(chan struct{})
	go func() { s.waitErr = s.cmd.Wait(); close(s.done) }()
	fmt.Fprintf(os.Stderr, "server: %s %s (pid %d)\n", s.bo.Bin, strings.Join(args, " "), s.cmd.Process.Pid)
	s.url = "http://" + addr
	return s.awaitHealthy(ctx, logPath)
}

func (s *benchServer) awaitHealthy(ctx context.Context, logPath string) error {
	err := awaitOK(ctx, s.url+"/healthz", s.bo.StartTimeout, s.done)
	switch {
	case errors.Is(err, errExited):
		fmt.Fprintf(os.Stderr, "the server exited at start: %s\n", tail(logPath, 20))
		return fmt.Errorf("the server exited at start (%v): %s", s.waitErr, lastLine(logPath))
	case errors.Is(err, errNotReady):
		return fmt.Errorf("%w; %s", err, tail(logPath, 10))
	}
	return err
}

var (
	errExited   = errors.New("the process exited")
	errNotReady = errors.New("not ready")
)

// awaitOK polls url until it answers 200: errExited if done closes first
// (the process ended), errNotReady once limit has passed.
func awaitOK(ctx context.Context, url string, limit time.Duration, done <-chan struct{}) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(limit)
	for {
		res, err := client.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-done:
			return errExited
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("GET %s did not answer 200 within %v: %w", url, limit, errNotReady)
		}
	}
}

func (s *benchServer) pid() int { return s.cmd.Process.Pid }

// stopProcess sends SIGTERM and waits for done (the process's Wait
// returned), killing it after 30 s.
func stopProcess(p *os.Process, done <-chan struct{}) {
	p.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		fmt.Fprintln(os.Stderr, "the process did not stop within 30 s of SIGTERM: killing it")
		p.Kill()
		<-done
	}
}

// exitedEarly says so when the server died during the runs.
func (s *benchServer) exitedEarly() string {
	select {
	case <-s.done:
		return fmt.Sprintf("the server exited during the runs (%v)", s.waitErr)
	default:
		return ""
	}
}

// cleanup stops the server (SIGTERM, then SIGKILL after 30 s), drops the
// database and removes the data dir.
func (s *benchServer) cleanup() {
	if s.cmd != nil && s.done != nil {
		stopProcess(s.cmd.Process, s.done)
		// the log goes with the data dir: show its warnings and errors first
		if n, last := warnings(filepath.Join(s.dir, "server.log")); n > 0 {
			fmt.Fprintf(os.Stderr, "the server logged %d warnings or errors; the last: %s\n", n, strings.Join(last, " | "))
		}
		if s.keepLog != "" {
			if b, err := os.ReadFile(filepath.Join(s.dir, "server.log")); err == nil {
				os.WriteFile(s.keepLog, b, 0o644)
			}
		}
	}
	if s.dbName != "" {
		// FORCE closes sessions the server may have left behind
		if err := s.psql("DROP DATABASE IF EXISTS " + s.dbName + " WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "dropping database %s: %v\n", s.dbName, err)
		} else {
			fmt.Fprintf(os.Stderr, "database %s dropped\n", s.dbName)
		}
	}
	os.RemoveAll(s.dir)
}

// psql runs one statement on the admin database; CREATE and DROP DATABASE
// need no driver this way: odload links no database driver.
func (s *benchServer) psql(stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.bo.Psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", s.bo.PGAdminURL, "-c", stmt)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", stmt, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// lastLine is a log's last non-empty line: where a program that gave up
// says why.
func lastLine(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// warnings counts the log's WARN and ERROR lines (slog's text format) and
// returns the last few.
func warnings(path string) (n int, last []string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, nil
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") {
			n++
			last = append(last, l)
		}
	}
	return n, last[max(0, len(last)-5):]
}

// acceptsFlag reports whether bin's --help lists flag, so a server that
// cannot take a PostgreSQL URL is found out before any seeding.
func acceptsFlag(bin, flag string) bool {
	out, _ := exec.Command(bin, "--help").CombinedOutput()
	return bytes.Contains(out, []byte("--"+flag))
}

// tail is the last n lines of a log file, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "no log"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "last lines of " + filepath.Base(path) + ": " + strings.Join(lines, " | ")
}
