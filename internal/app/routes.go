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
	h := httpapi.Health{Store: a.store.Ping(ctx)}
	if b, ok := a.bus.(interface{ Healthy() error }); ok {
		h.Bus = b.Healthy()
	}
	return h
}
