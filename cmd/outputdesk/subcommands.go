package main

import (
	"flag"
	"fmt"
	"io"
	"reflect"
	"slices"

	"outputdesk/internal/config"
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

// dataDirFlag defines a subcommand's --data-dir, defaulting as the server
// does: OUTPUTDESK_DATA_DIR, else the server's own default.
func dataDirFlag(fs *flag.FlagSet, p *string, getenv func(string) string, usage string) {
	def := getenv(config.EnvName("data-dir"))
	if def == "" {
		def = serverDefault("DataDir")
	}
	fs.StringVar(p, "data-dir", def, usage+" (env "+config.EnvName("data-dir")+")")
}

// serverDefault is the server's default for a Config field, from its tag:
// one place says where the data lives.
func serverDefault(field string) string {
	f, _ := reflect.TypeOf(config.Config{}).FieldByName(field)
	return f.Tag.Get("default")
}

// setUsage makes a subcommand's --help print about, then each flag with
// its default; the flags named in hidden never show theirs (a URL may hold
// a password).
func setUsage(fs *flag.FlagSet, out io.Writer, about string, hidden ...string) {
	fs.Usage = func() {
		fmt.Fprint(out, about)
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" && !slices.Contains(hidden, f.Name) {
				def = " (default " + f.DefValue + ")"
			}
			fmt.Fprintf(out, "  --%s%s\n      %s\n", f.Name, def, f.Usage)
		})
	}
}
