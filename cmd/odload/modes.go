package main

import (
	"context"
	"io"
)

// runMode runs the measurement --mode names and prints its report, also
// when the run stopped early with part of it measured.
func runMode(ctx context.Context, o options, out io.Writer) error {
	switch o.Mode {
	case "routing":
		rep, err := runRouting(ctx, o)
		if rep != nil {
			rep.print(out)
		}
		return err
	case "messages":
		rep, err := runMessages(ctx, o)
		if rep != nil {
			rep.print(out)
		}
		return err
	default:
		rep, err := run(ctx, o)
		if rep != nil {
			rep.print(out)
		}
		return err
	}
}
