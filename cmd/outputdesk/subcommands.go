package main

import (
	"fmt"
	"io"
)

// subcommands are the jobs the binary does besides serving, each with its
// own flags: `outputdesk NAME --help` documents one.
var subcommands = []struct {
	name, about string
	run         func(args []string) int
}{
	{"copy-data", "copy an SQLite install into an empty PostgreSQL database", copyDataMain},
	{"backup", "write a consistent copy of the SQLite database while the server runs", backupMain},
}

// subcommand finds the subcommand args start with, if any: a first
// argument that is not a flag.
func subcommand(args []string) (run func(args []string) int, ok bool) {
	if len(args) == 0 {
		return nil, false
	}
	for _, c := range subcommands {
		if c.name == args[0] {
			return c.run, true
		}
	}
	return nil, false
}

// printSubcommands adds the subcommands to the server's --help.
func printSubcommands(w io.Writer) {
	fmt.Fprintf(w, "\nCommands (outputdesk COMMAND --help for each):\n")
	for _, c := range subcommands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.about)
	}
}
