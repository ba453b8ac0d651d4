package app

import (
	"context"
	"net/http"

	"outputdesk/internal/httpapi"
	"outputdesk/web"
)

func (a *App) routes() http.Handler {
	return httpapi.Routes(httpapi.Deps{
		Service: a,
		Visitor: a.hub.VisitorHandler(a),
		Console: a.hub.ConsoleHandler(a),
		Assets:  web.Files,
		Log:     a.log,
	})
}

// Health says whether the store and the bus answer (GET /healthz).
func (a *App) Health(ctx context.Context) httpapi.Health {
	return httpapi.Health{Store: a.store.Ping(ctx), Bus: a.busWatch.err()}
}
