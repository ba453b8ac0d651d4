package app

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// dataWhere says where the records live, for the start banner: the SQLite
// file, or the PostgreSQL host and database — never a password.
func (a *App) dataWhere() string {
	if a.cfg.DatabaseURL == "" {
		dir, err := filepath.Abs(a.cfg.DataDir)
		if err != nil {
			dir = a.cfg.DataDir
		}
		return "SQLite, " + filepath.Join(dir, "outputdesk.db")
	}
	u, err := url.Parse(a.cfg.DatabaseURL)
	if err != nil {
		return "PostgreSQL"
	}
	return fmt.Sprintf("PostgreSQL, database %s on %s", strings.TrimPrefix(u.Path, "/"), u.Host)
}

// busWhere says how this node hears the others, for the start banner.
func (a *App) busWhere() string {
	if a.cfg.NATSURL == "" {
		return "in-process (one node)"
	}
	var servers []string
	for _, s := range strings.Split(a.cfg.NATSURL, ",") {
		s = strings.TrimSpace(s)
		if !strings.Contains(s, "://") {
			s = "nats://" + s
		}
		if u, err := url.Parse(s); err == nil {
			servers = append(servers, u.Scheme+"://"+u.Host)
		}
	}
	where := "NATS " + strings.Join(servers, ",")
	if a.cfg.NATSPrefix != "" {
		where += ", subjects prefixed " + a.cfg.NATSPrefix
	}
	return where + ", node " + a.presence.Node()
}
