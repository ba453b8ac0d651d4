package app

import (
	"context"
	"net/http"
	"strings"

	"outputdesk/internal/httpapi"
	"outputdesk/internal/proxies"
	"outputdesk/web"
)

func (a *App) routes() http.Handler {
	trusted, _ := proxies.Parse(a.cfg.TrustedProxies) // config.Load has checked it
	return httpapi.Routes(httpapi.Deps{
		Service:     a,
		Visitor:     a.hub.VisitorHandler(a),
		Console:     a.hub.ConsoleHandler(a),
		Assets:      web.Files,
		Log:         a.log,
		Proxies:     trusted,
		HTTPSPublic: strings.HasPrefix(strings.ToLower(a.cfg.PublicURL), "https://"),
	})
}

// Health says whether the store and the bus answer (GET /healthz).
func (a *App) Health(ctx context.Context) httpapi.Health {
	return httpapi.Health{Store: a.store.Ping(ctx), Bus: a.busWatch.err()}
}
