package rest

import (
	"context"
	"log/slog"
	"time"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/middleware"
)

// statusJSON is the data of GET /status.
type statusJSON struct {
	Status     string            `json:"status"`
	Components map[string]string `json:"components"`
}

// status returns 200 with each component's state when the database responds
// to a ping. Otherwise it returns 503 service_unavailable, whose details give
// the failed component. It needs no key.
func (a *api) status(req *request) (result, error) {
	ctx, cancel := context.WithTimeout(req.ctx(), 3*time.Second)
	defer cancel()

	components := map[string]string{"database": "ok"}
	if err := a.config.DB.SQL.PingContext(ctx); err != nil {
		a.logger.WarnContext(ctx, "status check: the database ping failed",
			slog.String("request_id", middleware.RequestIDFromContext(ctx)), slog.Any("error", err))
		unavailable := apierr.New(apierr.Unavailable, "the database is unreachable; retry shortly")
		unavailable.Details = []apierr.Detail{{Path: []any{"components", "database"}, Message: "unreachable"}}
		return result{}, unavailable
	}
	return ok(statusJSON{Status: "ok", Components: components}), nil
}
