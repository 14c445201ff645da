// Package app wires the Breadbox server: configuration, database, migrations,
// authentication, the REST and GraphQL handlers, health endpoints and a
// graceful shutdown.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"github.com/go-chi/chi/v5"

	"github.com/breadbox/breadbox/graph/server"
	"github.com/breadbox/breadbox/internal/audit"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/config"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/idempotency"
	"github.com/breadbox/breadbox/internal/metrics"
	"github.com/breadbox/breadbox/internal/middleware"
	"github.com/breadbox/breadbox/internal/ratelimit"
	"github.com/breadbox/breadbox/internal/webhook"
	"github.com/breadbox/breadbox/migrate"
	"github.com/breadbox/breadbox/rest"
)

// App is a configured server with its open database.
type App struct {
	Config        config.Config
	DB            *database.DB
	Authenticator *auth.Authenticator
	Limiter       *ratelimit.Limiter
	Audit         *audit.Log
	Idempotency   *idempotency.Store
	Logger        *slog.Logger
	// Webhooks sends the webhook deliveries while the server runs.
	Webhooks *webhook.Worker
	// ChurnQueue runs the queued churn-risk recalculations while the server
	// runs.
	ChurnQueue *churn.Queue

	redis         *ratelimit.RedisStore
	webhookConfig webhook.ManagerConfig
	// panicRoute adds the REST route that panics, for tests.
	panicRoute bool

	handler http.Handler
}

// Option adjusts the app that New builds.
type Option func(*App)

// WithPanicRoute adds GET /api/v1/__panic, which panics, so tests can check
// that a panic becomes a 500 in the envelope. Production never uses it.
func WithPanicRoute() Option {
	return func(a *App) { a.panicRoute = true }
}

// New opens the database, applies migrations when configured to, and builds
// the HTTP handler.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger, options ...Option) (*App, error) {
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.MigrateOnStart {
		if err := migrate.Apply(ctx, db.SQL, db.Dialect); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("applying migrations: %w", err)
		}
	}

	app := &App{
		Config: cfg,
		DB:     db,
		Authenticator: auth.NewAuthenticator(db.Client, auth.AuthenticatorConfig{
			CacheTTL: cfg.KeyCacheTTL,
		}),
		Audit:       audit.New(db.Client, auditConfig(cfg, db)),
		Idempotency: idempotency.NewStore(db.Client),
		Logger:      logger,
	}

	var store ratelimit.Store = ratelimit.NewMemoryStore()
	if cfg.RedisURL != "" {
		app.redis, err = ratelimit.NewRedisStore(ctx, cfg.RedisURL)
		if err != nil {
			_ = db.Close()
			return nil, err
		}
		store = app.redis
	}
	app.Limiter = ratelimit.NewLimiter(store, db.Client)
	secrets, err := webhook.LoadSecretBox(cfg.SecretKey, cfg.DatabaseURL)
	if err != nil {
		_ = app.Close()
		return nil, err
	}
	app.webhookConfig = webhook.ManagerConfig{
		Secrets:      secrets,
		AllowHTTP:    cfg.WebhookAllowHTTP,
		AllowPrivate: cfg.WebhookAllowPrivate,
	}
	app.Webhooks = webhook.NewWorker(db.Client, webhook.WorkerConfig{
		Secrets:      secrets,
		AllowPrivate: cfg.WebhookAllowPrivate,
		Schedule:     cfg.WebhookRetrySchedule,
		Logger:       logger,
	})
	app.ChurnQueue = churn.NewQueue(db.Client, churn.QueueConfig{Logger: logger})
	for _, option := range options {
		option(app)
	}
	app.handler = app.routes()
	return app, nil
}

// Handler returns the root HTTP handler.
func (a *App) Handler() http.Handler { return a.handler }

// Close releases the database and the Redis connection.
func (a *App) Close() error {
	if a.redis != nil {
		_ = a.redis.Close()
	}
	return a.DB.Close()
}

func (a *App) routes() http.Handler {
	router := chi.NewRouter()
	router.Use(middleware.RequestID)
	router.Use(middleware.Log(a.Logger))
	collected := metrics.New()
	router.Use(collected.Middleware)

	router.Get("/healthz", a.healthz)
	router.Method(http.MethodGet, "/metrics", collected.Handler())
	router.Get("/readyz", a.readyz)
	router.Method(http.MethodGet, rest.DocsPath, rest.DocsHandler(a.Config.PublicURL, a.Logger))

	// GraphiQL is served before authentication, because a browser cannot send
	// a key before the page has loaded; every query it sends carries one.
	api := chi.Chain(a.apiMiddleware(server.WriteError, true)...).Handler(server.LimitBody(server.New(a.DB.Client, server.Config{Webhooks: a.webhookConfig})))
	router.Handle("/graphql", server.GraphiQL("/graphql", api))

	router.Mount("/api/v1", rest.New(rest.Config{
		Client:        a.DB.Client,
		DB:            a.DB,
		Authenticator: a.Authenticator,
		PublicURL:     a.Config.PublicURL,
		Middleware: func(writeError middleware.ErrorWriter) []func(http.Handler) http.Handler {
			return a.apiMiddleware(writeError, false)
		},
		Logger:     a.Logger,
		PanicRoute: a.panicRoute,
	}))
	return router
}

// auditConfig writes buffered audit entries with COPY on PostgreSQL.
func auditConfig(cfg config.Config, db *database.DB) audit.Config {
	auditCfg := audit.Config{Retention: cfg.AuditRetention}
	if db.Dialect == dialect.Postgres {
		auditCfg.Postgres = db.SQL
	}
	return auditCfg
}

// apiMiddleware returns the layers every API call passes through, in order:
// the audit entry, authentication (with failed attempts limited per client
// address), the key and org rate-limit windows, and the write transaction with
// its idempotency record.
func (a *App) apiMiddleware(writeError middleware.ErrorWriter, graphQL bool) []func(http.Handler) http.Handler {
	return []func(http.Handler) http.Handler{
		a.Audit.Middleware,
		middleware.AuthenticateWithLimit(a.Authenticator, a.Limiter, writeError),
		a.Limiter.Middleware(writeError),
		idempotency.Writes(idempotency.WritesConfig{
			Client:     a.DB.Client,
			Store:      a.Idempotency,
			WriteError: writeError,
			GraphQL:    graphQL,
			AuditInTx:  audit.WriteInTx,
		}),
	}
}

// healthz responds 200 while the process is up.
func (a *App) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

// readyz responds 200 when the database is reachable and its migrations are
// current, 503 otherwise.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()

	checks := map[string]string{"database": "ok", "migrations": "ok"}
	status := http.StatusOK
	if err := a.DB.SQL.PingContext(ctx); err != nil {
		checks["database"] = "unreachable"
		status = http.StatusServiceUnavailable
		a.Logger.WarnContext(ctx, "readiness check: database unreachable", "error", err)
	} else if current, latest, dirty, err := migrate.Status(ctx, a.DB.SQL, a.DB.Dialect); err != nil || dirty || current != latest {
		checks["migrations"] = "pending"
		status = http.StatusServiceUnavailable
		a.Logger.WarnContext(ctx, "readiness check: migrations not current",
			"current", current, "latest", latest, "dirty", dirty, "error", err)
	}
	writeJSON(w, status, map[string]any{"status": http.StatusText(status), "checks": checks})
}

// cleanExpiredRecords deletes expired idempotency records, and events past
// webhook.EventRetention with their deliveries, every ten minutes until ctx
// ends.
func (a *App) cleanExpiredRecords(ctx context.Context) {
	ticker := time.NewTicker(10 * time.Minute)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			deleted, err := a.Idempotency.Cleanup(ctx)
			if err != nil {
				a.Logger.ErrorContext(ctx, "idempotency cleanup failed", "error", err)
			} else if deleted > 0 {
				a.Logger.InfoContext(ctx, "deleted expired idempotency records", "deleted", deleted)
			}
			pruned, err := webhook.Prune(ctx, a.DB.Client, time.Now().Add(-webhook.EventRetention))
			if err != nil && ctx.Err() == nil {
				a.Logger.ErrorContext(ctx, "pruning old webhook events failed", "error", err, "pruned", pruned)
			} else if pruned > 0 {
				a.Logger.InfoContext(ctx, "pruned old webhook events", "events", pruned)
			}
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// Serve listens on the configured address until ctx ends, then stops accepting
// connections, waits up to 20 s for in-flight requests and flushes key usage.
func (a *App) Serve(ctx context.Context) error {
	listener, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", a.Config.Addr, err)
	}
	return a.ServeListener(ctx, listener)
}

// ServeListener serves on an open listener until ctx ends.
func (a *App) ServeListener(ctx context.Context, listener net.Listener) error {
	httpServer := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
	}

	backgroundCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	var background sync.WaitGroup
	background.Go(func() { a.Authenticator.Run(backgroundCtx) })
	background.Go(func() { a.Audit.Run(backgroundCtx) })
	background.Go(func() { a.cleanExpiredRecords(backgroundCtx) })
	background.Go(func() {
		churn.RunNightly(backgroundCtx, a.DB.Client, churn.NightlyConfig{Logger: a.Logger})
	})
	background.Go(func() { a.ChurnQueue.Run(backgroundCtx) })
	// Stopping the background work lets in-flight webhook attempts finish.
	background.Go(func() { a.Webhooks.Run(backgroundCtx) })

	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(listener) }()
	a.Logger.Info("breadbox serving", "addr", listener.Addr().String(), "database", a.DB.Dialect)

	var serveErr error
	select {
	case serveErr = <-served:
	case <-ctx.Done():
		a.Logger.Info("breadbox shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
		serveErr = httpServer.Shutdown(shutdownCtx)
		cancel()
	}

	stopBackground()
	background.Wait()
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	a.Logger.Info("breadbox stopped")
	return serveErr
}
