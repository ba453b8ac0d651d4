// Package config reads Output Desk's settings from flags and OUTPUTDESK_*
// environment variables into one typed Config. Each field's struct tags carry
// its flag name, default and help text, so `outputdesk --help` and
// docs/configuration.md list every setting from one place.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"outputdesk/internal/proxies"
)

// Config is every setting of the server. A flag wins over its environment
// twin, which wins over the default.
type Config struct {
	Addr        string `flag:"addr" default:"127.0.0.1:8080" help:"address the HTTP server listens on (port 0 picks a free port)"`
	DataDir     string `flag:"data-dir" default:"./outputdesk-data" help:"directory holding the SQLite database (unused with --database-url)"`
	DatabaseURL string `flag:"database-url" default:"" help:"a postgres:// URL: keep records in PostgreSQL instead of SQLite in the data dir (for several nodes)"`
	NATSURL     string `flag:"nats-url" default:"" help:"joins the cluster: live events between nodes go through NATS (needs --database-url)"`
	NATSPrefix  string `flag:"nats-prefix" default:"" help:"put before every NATS subject (ending in a dot, e.g. shop1.), so several installs can share one NATS"`
	PublicURL   string `flag:"public-url" default:"" help:"URL browsers use to reach this server, used in the widget snippet (default: http:// plus the listen address); with https:// the session cookie is Secure"`
	// TrustedProxies is read by proxies.Parse.
	TrustedProxies string `flag:"trusted-proxies" default:"" help:"comma-separated IP addresses or CIDR prefixes of the reverse proxies in front of this server, whose X-Forwarded-For (the client's address, in logs and limits) and X-Forwarded-Proto are believed; empty: no one's"`

	AdminEmail    string `flag:"admin-email" default:"" help:"email of the first admin, created at start when no operator exists"`
	AdminPassword string `flag:"admin-password" default:"" help:"password of the first admin (with --admin-email)"`
	Demo          bool   `flag:"demo" default:"false" help:"on a fresh data dir, seed the demo operators, chat rule and action rule, and print their passwords"`

	MaxMessageBytes    int           `flag:"max-message-bytes" default:"4096" help:"longest chat message accepted, in bytes"`
	InactivityTimeout  time.Duration `flag:"inactivity-timeout" default:"20m" help:"a chat ends when the visitor has not written for this long (overrides the console setting when given)"`
	LeftTimeout        time.Duration `flag:"left-timeout" default:"20m" help:"a chat ends this long after its visitor left the site, that is after the presence grace that follows their last tab closing (overrides the console setting when given)"`
	PresenceGrace      time.Duration `flag:"presence-grace" default:"10s" help:"a visitor whose last tab closed has left only after this grace (a page navigation is not a departure)"`
	OperatorGrace      time.Duration `flag:"operator-grace" default:"60s" help:"an operator whose last console disconnected hands back their chats after this grace"`
	InvitationCooldown time.Duration `flag:"invitation-cooldown" default:"10m" help:"after a visitor dismisses an invitation, automated invitations wait this long"`
	NewVisitorWait     time.Duration `flag:"new-visitor-wait" default:"50ms" help:"a new visitor's record waits this long for others arriving to share one commit, and its welcome with it (0: each alone)"`
	VisitorListEvery   time.Duration `flag:"visitor-list-interval" default:"1s" help:"how often each console gets the batched Visitor List changes"`
	LoadEvery          time.Duration `flag:"load-interval" default:"1s" help:"how often consoles get operators' changed chat counts (batched; status changes are sent at once)"`
	NodeTTL            time.Duration `flag:"node-ttl" default:"5s" help:"with several nodes: a node not heard from for this long is gone, its consoles and tabs no longer count (heartbeats every third of it)"`
	DeadlineSweep      time.Duration `flag:"deadline-sweep" default:"1s" help:"how often a node looks for chats past their deadline, besides waking for the next one (with several nodes, a lost wake-up is caught within this)"`
	SessionTTL         time.Duration `flag:"session-ttl" default:"720h" help:"how long an operator stays logged in"`
	MaxSockets         int           `flag:"max-sockets" default:"0" help:"most WebSockets open at once; past it new ones get 503 (0: the process's open-file limit minus 256)"`

	SMTPURL string `flag:"smtp-url" default:"" help:"smtp://user:password@host:587?from=desk@example.com: mail each offline message to Settings' notification address, and the transcripts visitors ask for; empty: no mail"`

	LogLevel string `flag:"log-level" default:"info" help:"debug, info, warn or error"`
	// MetricsAddr is a listener of its own, never the public one: pprof
	// shows the process's insides.
	MetricsAddr string `flag:"metrics-addr" default:"" help:"address (host:port) serving Prometheus metrics on /metrics and Go's profiler on /debug/pprof/, for the monitoring network only; empty: off"`

	// explicit holds the flag names given by flag or environment, so callers
	// can tell a chosen value from a default.
	explicit map[string]bool
}

// EnvName is the environment twin of a flag: --data-dir is OUTPUTDESK_DATA_DIR.
func EnvName(flagName string) string {
	return "OUTPUTDESK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// ErrHelp is returned by Load when --help was asked for; the usage has been
// written already.
var ErrHelp = flag.ErrHelp

// Load reads args (without the program name) and the environment.
func Load(args []string, getenv func(string) string, usageOut io.Writer) (Config, error) {
	var c Config
	c.explicit = map[string]bool{}
	fs := flag.NewFlagSet("outputdesk", flag.ContinueOnError)
	fs.SetOutput(usageOut)
	v := reflect.ValueOf(&c).Elem()
	fields := map[string]reflect.Value{}
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		name := f.Tag.Get("flag")
		if name == "" {
			continue
		}
		fields[name] = v.Field(i)
		if err := setField(v.Field(i), f.Tag.Get("default")); err != nil {
			return c, fmt.Errorf("default of --%s: %w", name, err)
		}
		if env := getenv(EnvName(name)); env != "" {
			if err := setField(v.Field(i), env); err != nil {
				return c, fmt.Errorf("%s: %w", EnvName(name), err)
			}
			c.explicit[name] = true
		}
		help := fmt.Sprintf("%s (env %s)", f.Tag.Get("help"), EnvName(name))
		fs.Func(name, help, func(s string) error {
			c.explicit[name] = true
			return setField(fields[name], s)
		})
	}
	fs.Usage = func() { usage(fs, v) }
	if err := fs.Parse(normalizeBoolFlags(args, v)); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, c.validate()
}

// Explicit reports whether the setting named by its flag was given by flag or
// environment rather than left at its default.
func (c Config) Explicit(flagName string) bool { return c.explicit[flagName] }

func (c Config) validate() error {
	var errs []error
	if c.MaxMessageBytes < 1 {
		errs = append(errs, errors.New("max-message-bytes must be at least 1"))
	}
	for name, d := range map[string]time.Duration{
		"inactivity-timeout": c.InactivityTimeout, "left-timeout": c.LeftTimeout,
		"presence-grace": c.PresenceGrace, "operator-grace": c.OperatorGrace,
		"visitor-list-interval": c.VisitorListEvery, "load-interval": c.LoadEvery, "deadline-sweep": c.DeadlineSweep, "node-ttl": c.NodeTTL, "session-ttl": c.SessionTTL,
	} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, got %v", name, d))
		}
	}
	if c.NewVisitorWait < 0 || c.NewVisitorWait > time.Second {
		errs = append(errs, fmt.Errorf("new-visitor-wait must be between 0 and 1s (a new visitor's welcome waits for it), got %v", c.NewVisitorWait))
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, errors.New("public-url must be an http:// or https:// URL, e.g. https://desk.example.com"))
		}
	}
	if _, err := proxies.Parse(c.TrustedProxies); err != nil {
		errs = append(errs, err)
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, errors.New("database-url must be a postgres:// URL"))
		}
	}
	if c.NATSURL != "" {
		if c.DatabaseURL == "" {
			errs = append(errs, errors.New("--nats-url needs --database-url: several nodes share PostgreSQL, not a SQLite file"))
		}
		if err := checkNATSURL(c.NATSURL); err != nil {
			errs = append(errs, err)
		}
	}
	if c.MaxSockets < 0 {
		errs = append(errs, errors.New("max-sockets must not be negative"))
	}
	if c.InvitationCooldown < 0 {
		errs = append(errs, errors.New("invitation-cooldown must not be negative"))
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		errs = append(errs, errors.New("admin-email and admin-password go together"))
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("metrics-addr must be host:port, e.g. 127.0.0.1:9090, got %q", c.MetricsAddr))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log-level must be debug, info, warn or error, got %q", c.LogLevel))
	}
	return errors.Join(errs...)
}

// checkNATSURL accepts what the NATS client does: one server or a
// comma-separated list of a cluster's, each nats://, tls://, ws:// or wss://,
// or a bare host:port.
func checkNATSURL(s string) error {
	for _, one := range strings.Split(s, ",") {
		one = strings.TrimSpace(one)
		if !strings.Contains(one, "://") {
			one = "nats://" + one
		}
		u, err := url.Parse(one)
		if err != nil || u.Host == "" {
			return errors.New("nats-url must be nats://host:port, or a comma-separated list of them")
		}
		switch u.Scheme {
		case "nats", "tls", "ws", "wss":
		default:
			return fmt.Errorf("nats-url: scheme %q is not nats, tls, ws or wss", u.Scheme)
		}
	}
	return nil
}

func setField(f reflect.Value, s string) error {
	switch f.Interface().(type) {
	case string:
		f.SetString(s)
	case bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", s)
		}
		f.SetBool(b)
	case int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("want a whole number, got %q", s)
		}
		f.SetInt(int64(n))
	case time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("want a duration such as 20m or 3s, got %q", s)
		}
		f.SetInt(int64(d))
	default:
		return fmt.Errorf("unsupported setting type %s", f.Type())
	}
	return nil
}

// normalizeBoolFlags turns a bare "--demo" into "--demo=true", since every
// flag is registered as a value flag so that its env twin and default share
// one parser.
func normalizeBoolFlags(args []string, v reflect.Value) []string {
	bools := map[string]bool{}
	for i := 0; i < v.NumField(); i++ {
		if f := v.Type().Field(i); f.Type.Kind() == reflect.Bool && f.Tag.Get("flag") != "" {
			bools[f.Tag.Get("flag")] = true
		}
	}
	out := make([]string, 0, len(args))
	for _, a := range args {
		name := strings.TrimLeft(a, "-")
		if strings.HasPrefix(a, "-") && !strings.Contains(name, "=") && bools[name] {
			a += "=true"
		}
		out = append(out, a)
	}
	return out
}

func usage(fs *flag.FlagSet, v reflect.Value) {
	w := fs.Output()
	fmt.Fprintf(w, "Usage: outputdesk [flags]\n\nOutput Desk: self-hosted live chat. Every flag has an environment twin.\n\n")
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		name := f.Tag.Get("flag")
		if name == "" {
			continue
		}
		def := f.Tag.Get("default")
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "  --%s (env %s, default %s)\n      %s\n", name, EnvName(name), def, f.Tag.Get("help"))
	}
}

// FromEnviron is Load with the process environment.
func FromEnviron(args []string, usageOut io.Writer) (Config, error) {
	return Load(args, os.Getenv, usageOut)
}
