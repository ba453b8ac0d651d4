// Package app wires Output Desk together — store, bus, sockets, REST API —
// and owns everything that runs in the background: presence, the Visitor
// List batches, invitation triggers, chat deadlines and the operator grace.
// Every timer reads the injected clock.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	accountsvc "outputdesk/internal/accounts"
	"outputdesk/internal/bus"
	"outputdesk/internal/canned"
	"outputdesk/internal/chats"
	"outputdesk/internal/clock"
	"outputdesk/internal/config"
	"outputdesk/internal/desk"
	"outputdesk/internal/ids"
	"outputdesk/internal/mail"
	"outputdesk/internal/offline"
	"outputdesk/internal/operators"
	"outputdesk/internal/preferences"
	"outputdesk/internal/presence"
	"outputdesk/internal/realtime"
	"outputdesk/internal/reports"
	"outputdesk/internal/routing"
	"outputdesk/internal/settings"
	"outputdesk/internal/store"
	"outputdesk/internal/store/postgres"
	"outputdesk/internal/store/sqlite"
	"outputdesk/internal/store/sqlstore"
	"outputdesk/internal/timers"
	"outputdesk/internal/visitorlist"
	"outputdesk/internal/visitors"
)

// Options are what New needs beyond the Config.
type Options struct {
	Clock  clock.Clock  // nil: the wall clock
	Logger *slog.Logger // nil: discard
	Out    io.Writer    // where start-up lines go (URLs, demo passwords); nil: discard
	// BcryptCost is the password hashing cost; 0 is bcrypt's default. Tests
	// lower it so the race detector does not spend minutes hashing.
	BcryptCost int
}

// App is one running Output Desk node.
type App struct {
	cfg   config.Config
	clock clock.Clock
	log   *slog.Logger
	out   io.Writer
	cost  int

	store    store.Store
	bus      bus.Bus
	announce bus.Announcer
	presence presence.Presence
	hub      *realtime.Hub

	// The services, embedded so that their methods serve the REST API and
	// the sockets; app only wires them.
	*siteSettings
	*accounts
	*chatRouting
	*chatService
	*cannedReplies
	*notifyPreferences
	*reportService

	operators *operators.Service
	visitors  *visitors.Service
	offline   *offline.Service
	// mail sends through --smtp-url; nil without it
	mail interface {
		Send(ctx context.Context, to, subject, body string) error
	}
	// availability: whether an operator is Online, as this node hears it
	availability operators.Availability
	list         *visitorlist.List
	deadlines    *timers.Service
	busWatch     *busWatch

	siteSub bus.Subscription // this node's views hear the site (site_events.go)

	handler  http.Handler
	server   *http.Server
	listener net.Listener
	metrics  *metricsServer // --metrics-addr (metrics.go)
	stop     chan struct{}
	// life is the services' own work's context: cancelled in Close once
	// that work is stopped and drained, before the store closes, so that
	// nothing late reaches a closed store.
	life    context.Context
	endLife context.CancelFunc
}

// New opens the data directory and builds the app; Start serves it.
func New(ctx context.Context, cfg config.Config, opts Options) (*App, error) {
	a := &App{cfg: cfg, clock: opts.Clock, log: opts.Logger, out: opts.Out, cost: opts.BcryptCost, stop: make(chan struct{})}
	a.life, a.endLife = context.WithCancel(context.Background())
	if a.clock == nil {
		a.clock = clock.Real{}
	}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if a.out == nil {
		a.out = io.Discard
	}
	if a.cost == 0 {
		a.cost = bcrypt.DefaultCost
	}
	mailer, err := mail.New(cfg.SMTPURL)
	if err != nil {
		return nil, err
	}
	if mailer != nil {
		a.mail = mailer
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("opening the database: %w", err)
	}
	a.store = st
	if err := a.joinCluster(); err != nil {
		st.Close()
		return nil, err
	}
	a.announce = bus.Announcer{Bus: a.bus, Log: a.log}
	a.instrument()
	// Socket heartbeats and read and write limits are bounds on the
	// network: the wall clock, even when a test moves the app's clock.
	a.hub = realtime.NewHub(a.bus, st, a.log, a.clock.Now, clock.Real{}, socketCap(cfg.MaxSockets))
	if err := a.bootstrap(ctx); err != nil {
		a.presence.Close()
		a.bus.Close()
		st.Close()
		return nil, err
	}
	a.services()
	if err := a.listenToSite(); err != nil {
		st.Close()
		return nil, err
	}
	a.handler = a.routes()
	return a, nil
}

// services builds the services each node runs, on what bootstrap read.
func (a *App) services() {
	site := func() (desk.Site, desk.Settings) { return a.siteNow() }
	a.busWatch = newBusWatch(a)
	a.list = visitorlist.New(a.clock, a.cfg.VisitorListEvery, a.log)
	// Whether an operator is Online, for the widgets' "Leave a message".
	a.availability.Changed = func(online bool) {
		site, _ := a.siteNow()
		a.hub.ToVisitors(site.ID, bus.Event{Kind: bus.KindAvailability, SiteID: site.ID, Online: online})
	}
	a.operators = operators.New(operators.Deps{Life: a.life, Store: a.store, Presence: a.presence, Clock: a.clock, Log: a.log,
		Grace: a.cfg.OperatorGrace, SiteID: func() int64 { s, _ := a.siteNow(); return s.ID },
		HandBack: a.chatRouting.HandBack, CameOnline: func() { a.chatRouting.MoveQueue(bg()) },
		ShowHere: func(e bus.Event) { a.heardOperator(e); a.hub.Local(bus.SiteSubject(e.SiteID), e) }, Hears: a.busWatch.hears})
	a.visitors = visitors.New(visitors.Deps{Life: a.life, Store: a.store, Presence: a.presence, List: a.list, Announce: a.announce,
		Clock: a.clock, Log: a.log, Grace: a.cfg.PresenceGrace, Cooldown: a.cfg.InvitationCooldown, NewVisitorWait: a.cfg.NewVisitorWait, Site: site,
		Rules: a.siteSettings.InvitationRuleList,
		Hears: a.busWatch.hears})
	a.offline = offline.New(offline.Deps{Store: a.store, Clock: a.clock, Announce: a.announce, MaxMessageBytes: a.cfg.MaxMessageBytes,
		CurrentPage: a.visitors.CurrentPage, Mail: a.mail, NotifyEmail: a.siteSettings.NotifyEmail, Life: a.life, Log: a.log})
	a.chatService = chats.New(chats.Deps{Store: a.store, Clock: a.clock, Log: a.log, Announce: a.announce,
		MaxMessageBytes: a.cfg.MaxMessageBytes, Timeouts: a.siteSettings.Timeouts, MessagePreview: a.siteSettings.MessagePreview, Visitors: a.visitors,
		Appearance: a.siteSettings.Appearance, Routing: a.chatRouting,
		Connected: a.operators.Connected, LoadChanged: a.accounts.LoadChanged,
		Wake: func(at time.Time) { a.deadlines.Wake(at) }, ListOperators: a.accounts.ListOperators, Mail: a.mail, Life: a.life,
		FileRules: func() chats.FileRules {
			_, set := a.siteNow()
			return chats.FileRules{Limit: set.FileLimit(), Types: set.AllowedFileTypes()}
		}})
	a.reportService = reports.New(reports.Deps{Store: a.store, Clock: a.clock})
	a.cannedReplies = canned.New(canned.Deps{Store: a.store, Announce: a.announce, Clock: a.clock, MaxMessageBytes: a.cfg.MaxMessageBytes})
	a.notifyPreferences = preferences.New(preferences.Deps{Store: a.store, Announce: a.announce, Clock: a.clock})
	a.deadlines = timers.New(timers.Deps{Life: a.life, Store: a.store, Clock: a.clock, Log: a.log, Sweep: a.cfg.DeadlineSweep, Ended: a.chatService.Ended})
}

// joinCluster connects to NATS when --nats-url names it, with presence
// replicated over it; otherwise the in-process bus and presence of one node.
func (a *App) joinCluster() error {
	if a.cfg.NATSURL == "" {
		a.bus, a.presence = bus.NewMemory(), presence.NewMemory()
		return nil
	}
	host, _ := os.Hostname()
	nb, err := bus.Dial(a.cfg.NATSURL, a.log, bus.WithPrefix(a.cfg.NATSPrefix), bus.WithName("outputdesk "+host))
	if err != nil {
		return err
	}
	p, err := presence.NewCluster(nb, a.clock, a.log, presence.ClusterOptions{TTL: a.cfg.NodeTTL})
	if err != nil {
		nb.Close()
		return fmt.Errorf("presence: %w", err)
	}
	a.bus, a.presence = nb, p
	a.log.Info("joined the cluster", "node", p.Node())
	return nil
}

// openStore opens PostgreSQL when --database-url names it, and otherwise
// SQLite in the data dir: the zero set-up default.
func openStore(ctx context.Context, cfg config.Config) (*sqlstore.DB, error) {
	if cfg.DatabaseURL != "" {
		return postgres.Open(ctx, cfg.DatabaseURL)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return sqlite.Open(ctx, filepath.Join(cfg.DataDir, "outputdesk.db"))
}

// bootstrap makes sure the site, its settings and the first accounts exist.
func (a *App) bootstrap(ctx context.Context) error {
	fresh, err := a.store.CountOperators(ctx)
	if err != nil {
		return err
	}
	site, err := a.store.EnsureSite(ctx, desk.Site{Key: "pk_" + ids.Hex(16), Name: "My website", AllowedOrigins: []string{"*"}, CreatedAt: a.clock.Now()},
		desk.Settings{ChatRule: desk.ChatRuleManual, InvitationText: desk.DefaultInvitationText,
			InactivityTimeout: a.cfg.InactivityTimeout, LeftTimeout: a.cfg.LeftTimeout})
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	set, err := a.store.Settings(ctx, site.ID)
	if err != nil {
		return err
	}
	// A timeout given by flag or environment wins over the console's value.
	if a.cfg.Explicit("inactivity-timeout") || a.cfg.Explicit("left-timeout") {
		if a.cfg.Explicit("inactivity-timeout") {
			set.InactivityTimeout = a.cfg.InactivityTimeout
		}
		if a.cfg.Explicit("left-timeout") {
			set.LeftTimeout = a.cfg.LeftTimeout
		}
		if err := a.store.SaveSettings(ctx, site.ID, set); err != nil {
			return err
		}
	}
	a.chatRouting = routing.New(routing.Deps{Life: a.life, Store: a.store, Clock: a.clock, Log: a.log, Announce: a.announce,
		Settings:    func() (desk.Site, desk.Settings, []desk.ActionRule) { return a.siteSettings.ForRouting() },
		Connected:   func(id int64) bool { return a.operators.Connected(id) },
		LoadChanged: func(ids ...int64) { a.accounts.LoadChanged(ids...) }})
	a.accounts = accountsvc.New(accountsvc.Deps{Life: a.life, Store: a.store, Clock: a.clock, Log: a.log, Announce: a.announce,
		SiteID: func() int64 { return site.ID }, Cost: a.cost, SessionTTL: a.cfg.SessionTTL, LoadEvery: a.cfg.LoadEvery,
		Connected: func(id int64) bool { return a.operators.Connected(id) }, HandBack: a.chatRouting.HandBack, QueueMayMove: a.chatRouting.MoveQueue,
		Node: a.presence.Node()})
	a.siteSettings, err = settings.Load(ctx, settings.Deps{Life: a.life, Store: a.store, Announce: a.announce, Log: a.log, BaseURL: a.BaseURL,
		QueueMayMove: a.chatRouting.MoveQueue, InvitationRulesChanged: func() { a.visitors.RulesChanged() }}, site)
	if err != nil {
		return err
	}
	if fresh == 0 && a.cfg.AdminEmail != "" {
		_, err := a.accounts.Create(ctx, desk.Operator{Name: "Admin", Email: a.cfg.AdminEmail, Role: desk.RoleAdmin, PriorityLevel: 1, ChatLimit: 5},
			a.cfg.AdminPassword, true)
		switch {
		case errors.Is(err, desk.ErrConflict):
			// several nodes started together with the same settings: another
			// one created it first
			fmt.Fprintf(a.out, "The admin account exists already\n")
		case err != nil:
			return fmt.Errorf("first admin: %w", err)
		default:
			fmt.Fprintf(a.out, "Created the admin account %s\n", a.cfg.AdminEmail)
		}
	}
	if a.cfg.Demo {
		if err := a.seedDemo(ctx, fresh == 0); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// Start listens on the configured address and serves in the background,
// with the background loops running.
func (a *App) Start() error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	a.listener = ln
	if err := a.serveMetrics(); err != nil {
		ln.Close()
		return err
	}
	a.server = &http.Server{Handler: a.handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}
	a.afterPresence(func() {
		ctx := context.Background()
		a.operators.StartupGrace(ctx)
		a.visitors.StartupGrace(ctx)
	})
	a.deadlines.Start()
	a.busWatch.start()
	go func() {
		if err := a.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("http server", "err", err)
		}
	}()
	base := a.BaseURL()
	fmt.Fprintf(a.out, "Output Desk is running.\n  Console: %s/console/\n  Demo:    %s/demo/\n", base, base)
	dataAt, busAt := a.dataWhere(), a.busWhere()
	fmt.Fprintf(a.out, "  Data:    %s\n  Bus:     %s\n", dataAt, busAt)
	fmt.Fprint(a.out, a.metricsBanner())
	a.log.Info("started", "console", base+"/console/", "data", dataAt, "bus", busAt)
	if a.cfg.PublicURL != "" {
		// behind a load balancer: this node's own address, for its checks
		fmt.Fprintf(a.out, "  Node:    http://%s\n", a.Addr())
	}
	return nil
}

// afterPresence runs fn once this node has heard every node's consoles and
// tabs — at once on a single node — so that the start-up graces count
// operators and visitors connected elsewhere as here.
func (a *App) afterPresence(fn func()) {
	select {
	case <-a.presence.Ready():
		fn()
		return
	default:
	}
	go func() {
		select {
		case <-a.presence.Ready():
			fn()
		case <-a.stop:
		}
	}()
}

// Addr is the address the server listens on (useful with port 0).
func (a *App) Addr() string { return a.listener.Addr().String() }

// BaseURL is the URL browsers use to reach this server.
func (a *App) BaseURL() string {
	if a.cfg.PublicURL != "" {
		return strings.TrimRight(a.cfg.PublicURL, "/")
	}
	return "http://" + a.Addr()
}

// Handler serves every route; tests may use it without Start.
func (a *App) Handler() http.Handler { return a.handler }

// Close stops serving, stops the background loops, and closes the store.
func (a *App) Close() error {
	select {
	case <-a.stop:
		return nil
	default:
	}
	close(a.stop)
	var errs []error
	if a.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		errs = append(errs, a.server.Shutdown(ctx))
	}
	errs = append(errs, a.stopMetrics())
	a.hub.CloseAll()
	a.hub.Wait(5 * time.Second) // what the sockets' last frames started
	a.chatRouting.Idle()
	a.list.Stop()
	a.accounts.Stop()
	a.operators.Stop()
	a.visitors.Stop()
	a.deadlines.Stop()
	a.busWatch.stop()
	a.endLife()
	errs = append(errs, a.presence.Close(), a.bus.Close(), a.store.Close())
	return errors.Join(errs...)
}

// Now is the app's clock.
func (a *App) Now() time.Time { return a.clock.Now() }

// MaxMessageBytes is the message size limit.
func (a *App) MaxMessageBytes() int { return a.cfg.MaxMessageBytes }

// Store gives tests and tools read access to the records.
func (a *App) Store() store.Store { return a.store }

// siteSettings is the copy of the site's settings and rules.
type siteSettings = settings.Service

// accounts are operators' accounts and sessions.
type accounts = accountsvc.Service

// chatRouting decides who gets each chat.
type chatRouting = routing.Service

// chatService is what visitors and operators do in chats.
type chatService = chats.Service

// cannedReplies is "Canned Replies".
type cannedReplies = canned.Service

// notifyPreferences are each operator's notification preferences.
type notifyPreferences = preferences.Service

// reportService is "Reports" and History's CSV export.
type reportService = reports.Service

// siteNow returns the cached site and settings.
func (a *App) siteNow() (desk.Site, desk.Settings) { return a.siteSettings.Site() }

// bg is the context for work the app does on its own (timers).
func bg() context.Context { return context.Background() }
