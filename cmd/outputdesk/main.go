// Command outputdesk runs Output Desk: the REST API, the sockets, the
// operator console, the widget and the demo website, on one port.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"outputdesk/internal/app"
	"outputdesk/internal/config"
	"outputdesk/internal/datadir"
)

func main() {
	if sub, ok := subcommand(os.Args[1:]); ok {
		os.Exit(sub(os.Args[2:]))
	}
	cfg, err := config.FromEnviron(os.Args[1:], os.Stderr)
	if errors.Is(err, config.ErrHelp) {
		printSubcommands(os.Stderr)
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "outputdesk:", err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "outputdesk:", err)
		os.Exit(1)
	}
}

func run(cfg config.Config) error {
	// One process owns the SQLite data dir, from before the database opens
	// (migrations included) until the process ends. With --database-url
	// the data dir holds nothing, and several nodes on one machine may run
	// from one working directory.
	if cfg.DatabaseURL == "" {
		lock, err := datadir.Acquire(cfg.DataDir)
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, app.Options{Logger: log, Out: os.Stdout})
	if err != nil {
		return err
	}
	if err := a.Start(); err != nil {
		a.Close()
		return err
	}
	<-ctx.Done()
	log.Info("shutting down")
	return a.Close()
}
