package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(nil, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./outputdesk-data" || c.MaxMessageBytes != 4096 {
		t.Fatalf("defaults: %+v", c)
	}
	if c.InactivityTimeout != 20*time.Minute || c.LeftTimeout != 20*time.Minute || c.PresenceGrace != 10*time.Second || c.OperatorGrace != time.Minute {
		t.Fatalf("timer defaults: %+v", c)
	}
	if c.Explicit("inactivity-timeout") {
		t.Fatal("a default reported as explicit")
	}
}

func TestFlagBeatsEnvBeatsDefault(t *testing.T) {
	c, err := Load([]string{"--addr", "127.0.0.1:9", "--demo"},
		env(map[string]string{"OUTPUTDESK_ADDR": "127.0.0.1:7", "OUTPUTDESK_INACTIVITY_TIMEOUT": "3s"}), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9" {
		t.Errorf("addr = %q, want the flag's", c.Addr)
	}
	if c.InactivityTimeout != 3*time.Second || !c.Explicit("inactivity-timeout") {
		t.Errorf("inactivity = %v explicit=%v, want 3s from env", c.InactivityTimeout, c.Explicit("inactivity-timeout"))
	}
	if !c.Demo {
		t.Error("bare --demo did not set Demo")
	}
}

func TestHelpListsEveryFlagWithItsEnvTwin(t *testing.T) {
	var out bytes.Buffer
	_, err := Load([]string{"--help"}, env(nil), &out)
	if !errors.Is(err, ErrHelp) {
		t.Fatalf("err = %v, want ErrHelp", err)
	}
	for _, name := range []string{"addr", "data-dir", "nats-url", "admin-email", "admin-password", "demo", "max-message-bytes",
		"inactivity-timeout", "left-timeout", "presence-grace", "operator-grace", "invitation-cooldown", "session-ttl"} {
		if !strings.Contains(out.String(), "--"+name+" (env "+EnvName(name)) {
			t.Errorf("help does not list --%s with %s:\n%s", name, EnvName(name), out.String())
		}
	}
}

func TestBadValuesAreRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{args: []string{"--inactivity-timeout", "soon"}},
		{env: map[string]string{"OUTPUTDESK_MAX_MESSAGE_BYTES": "lots"}},
		{args: []string{"--left-timeout", "0s"}},
		{args: []string{"--admin-email", "a@b.c"}},
		{args: []string{"stray"}},
		{args: []string{"--metrics-addr", "9090"}},
		{args: []string{"--new-visitor-wait", "-1ms"}},
		{args: []string{"--new-visitor-wait", "2s"}},
	} {
		if _, err := Load(tc.args, env(tc.env), &bytes.Buffer{}); err == nil {
			t.Errorf("Load(%v, %v) accepted a bad value", tc.args, tc.env)
		}
	}
}

// docs/configuration.md must describe every setting.
func TestConfigurationDocListsEverySetting(t *testing.T) {
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.TypeOf(Config{})
	for i := 0; i < v.NumField(); i++ {
		name := v.Field(i).Tag.Get("flag")
		if name == "" {
			continue
		}
		row := fmt.Sprintf("| `--%s` | `%s` | `%s` |", name, EnvName(name), v.Field(i).Tag.Get("default"))
		if def := v.Field(i).Tag.Get("default"); def == "" {
			row = fmt.Sprintf("| `--%s` | `%s` |", name, EnvName(name))
		}
		if !strings.Contains(string(doc), row) && !strings.Contains(string(doc), fmt.Sprintf("| `--%s` | `%s` | `http://`", name, EnvName(name))) {
			t.Errorf("docs/configuration.md has no row starting %s", row)
		}
	}
}

func TestNATSURL(t *testing.T) {
	pg := "postgres://od@db:5432/od"
	for _, tc := range []struct {
		nats, db string
		wantErr  string // a part of the error; empty: accepted
	}{
		{nats: "", db: ""},
		{nats: "nats://127.0.0.1:4222", db: pg},
		{nats: "nats://a:4222, nats://b:4222,tls://c:4222", db: pg},
		{nats: "127.0.0.1:4222", db: pg},
		{nats: "nats://od:secret@nats.internal:4222", db: pg},
		{nats: "nats://127.0.0.1:4222", db: "", wantErr: "--nats-url needs --database-url: several nodes share PostgreSQL, not a SQLite file"},
		{nats: "http://127.0.0.1:4222", db: pg, wantErr: "nats-url"},
		{nats: "nats://", db: pg, wantErr: "nats-url"},
	} {
		c, err := Load(nil, env(map[string]string{"OUTPUTDESK_NATS_URL": tc.nats, "OUTPUTDESK_DATABASE_URL": tc.db}), &bytes.Buffer{})
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("nats %q, database %q: %v", tc.nats, tc.db, err)
		case tc.wantErr == "" && c.NATSURL != tc.nats:
			t.Errorf("NATSURL = %q, want %q", c.NATSURL, tc.nats)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("nats %q, database %q: err = %v, want one saying %q", tc.nats, tc.db, err, tc.wantErr)
		}
	}
}

// --metrics-addr is off unless given; given, it must be host:port.
func TestMetricsAddr(t *testing.T) {
	c, err := Load(nil, env(nil), &bytes.Buffer{})
	if err != nil || c.MetricsAddr != "" {
		t.Fatalf("default metrics-addr = %q, %v; want empty (off)", c.MetricsAddr, err)
	}
	c, err = Load(nil, env(map[string]string{"OUTPUTDESK_METRICS_ADDR": "127.0.0.1:9090"}), &bytes.Buffer{})
	if err != nil || c.MetricsAddr != "127.0.0.1:9090" {
		t.Fatalf("metrics-addr from env = %q, %v", c.MetricsAddr, err)
	}
	if _, err := Load([]string{"--metrics-addr", "localhost"}, env(nil), &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "metrics-addr") {
		t.Fatalf("metrics-addr without a port: err = %v, want one naming metrics-addr", err)
	}
}
