// Package rest serves the public REST API at /api/v1: one operation table
// drives the routes, and thin handlers translate HTTP to calls of the GraphQL
// resolvers and their results to the response envelope.
package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/graph"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/middleware"
	"github.com/breadbox/breadbox/internal/pagination"
)

// MaxBodyBytes is the largest request body accepted: 5 MiB. A larger body is
// rejected with 413 payload_too_large.
const MaxBodyBytes = 5 << 20

// PanicPath is the route that Config.PanicRoute adds.
const PanicPath = "/__panic"

// Config holds what the REST API needs from the application.
type Config struct {
	Client        *ent.Client
	DB            *database.DB
	Authenticator *auth.Authenticator
	// PublicURL is the base of docsUrl links, such as https://app.example.com.
	PublicURL string
	// Middleware returns the layers every authenticated call passes through
	// (audit, authentication, rate limits, the write transaction with its
	// idempotency record), built around the REST error writer. Nil means
	// authentication alone, with Authenticator.
	Middleware func(writeError middleware.ErrorWriter) []func(http.Handler) http.Handler
	// Logger receives error and panic logs; nil means slog.Default().
	Logger *slog.Logger
	// PanicRoute adds GET PanicPath, which panics, so tests can check that a
	// panic becomes a 500 in the envelope. Production never sets it.
	PanicRoute bool
}

// api is the state the handlers share.
type api struct {
	config   Config
	resolver *graph.Resolver
	logger   *slog.Logger
	writer   *writer
	router   *chi.Mux
}

// New returns the handler of /api/v1; mount it with the prefix stripped.
func New(config Config) http.Handler {
	logger := config.Logger
	if logger == nil {
		logger = slog.Default()
	}
	a := &api{
		config:   config,
		resolver: graph.NewResolver(config.Client),
		logger:   logger,
		writer: &writer{
			docsURL: strings.TrimRight(config.PublicURL, "/") + "/docs/api#errors",
			logger:  logger,
		},
	}
	a.router = a.routes()
	return a.router
}

func (a *api) routes() *chi.Mux {
	router := chi.NewRouter()
	router.Use(a.recoverPanics)
	router.NotFound(a.notFound)
	router.MethodNotAllowed(a.methodNotAllowed)

	layers := []func(http.Handler) http.Handler{
		middleware.Authenticate(a.config.Authenticator, a.writer.writeAPIError),
	}
	if a.config.Middleware != nil {
		layers = a.config.Middleware(a.writer.writeAPIError)
	}
	for _, op := range operations {
		handler := a.serve(op)
		if op.Scope == "" {
			router.Method(op.Method, op.Path, handler)
			continue
		}
		router.With(layers...).Method(op.Method, op.Path, handler)
	}
	if a.config.PanicRoute {
		router.Get(PanicPath, func(http.ResponseWriter, *http.Request) {
			panic("test panic from " + PanicPath)
		})
	}
	return router
}

// request is one call of an operation, with its parsed paging and raw body.
type request struct {
	*http.Request
	op *Operation
	// body is the raw request body of a POST or PATCH.
	body []byte
	// page is the parsed paging of a list.
	page pagination.Page
}

// serve runs an operation: scope check, list parameters, body, the handler
// (inside the request's transaction for writes) and the envelope.
func (a *api) serve(op Operation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if op.serveDocument != nil {
			op.serveDocument(a, w, r)
			return
		}
		// chi routes GET /accounts/bulk to GET /accounts/{id}; the bulk
		// path accepts POST only.
		if chi.URLParam(r, "id") == "bulk" && hasBulkRoute(op.Path) {
			w.Header().Set("Allow", http.MethodPost)
			a.writer.error(w, r, apierr.New(apierr.MethodNotAllowed, "%s is not supported on this endpoint; use POST", r.Method))
			return
		}
		if !op.granted(auth.FromContext(r.Context())) {
			a.writer.error(w, r, op.missingScope())
			return
		}

		if err := op.checkQuery(r.URL.RawQuery); err != nil {
			a.writer.error(w, r, err)
			return
		}
		req := &request{Request: r, op: &op}
		if op.List {
			page, err := parsePage(r.URL.Query(), &op)
			if err != nil {
				a.writer.error(w, r, err)
				return
			}
			req.page = page
		}
		if op.Method == http.MethodPost || op.Method == http.MethodPatch {
			data, err := readBody(w, r)
			if err != nil {
				a.writer.error(w, r, err)
				return
			}
			req.body = data
		}

		var res result
		run := func(ctx context.Context) error {
			var err error
			res, err = op.handle(a, req.withContext(ctx))
			return err
		}
		var err error
		if op.Method == http.MethodGet {
			err = run(r.Context())
		} else {
			// Writes run in one transaction, which the mutation and
			// everything recorded with it (events, idempotency records,
			// audit rows) join through the context. When the middleware
			// already opened it, WithTx joins it.
			err = database.WithTx(r.Context(), a.config.Client, run)
		}
		if err != nil {
			a.writer.error(w, r, err)
			return
		}
		a.writer.result(w, r, res)
	}
}

// hasBulkRoute reports whether a /{id} path has a POST …/bulk sibling.
func hasBulkRoute(idPath string) bool {
	base, found := strings.CutSuffix(idPath, "/{id}")
	if !found {
		return false
	}
	for _, op := range operations {
		if op.Method == http.MethodPost && op.Path == base+"/bulk" {
			return true
		}
	}
	return false
}

func (r *request) withContext(ctx context.Context) *request {
	copied := *r
	copied.Request = r.Request.WithContext(ctx)
	return &copied
}

func (r *request) ctx() context.Context { return r.Context() }

// pathIDPattern is the form of every record ID: a lower-case type prefix, an
// underscore and an alphanumeric body.
var pathIDPattern = regexp.MustCompile(`^[a-z]+_[0-9A-Za-z]{1,60}$`)

// pathID returns the {id} path parameter. A malformed ID is a bad_request; a
// well-formed ID of another entity type is not found, like a missing one.
func (r *request) pathID(prefix string) (string, error) {
	value := chi.URLParam(r.Request, "id")
	if !pathIDPattern.MatchString(value) {
		return "", apierr.New(apierr.BadRequest, "the ID in the path is malformed; expected an ID such as %s_01JD…", prefix)
	}
	if !id.HasPrefix(value, prefix) {
		return "", apierr.NotFoundf("no record has the ID %q", value)
	}
	return value, nil
}

// readBody reads a request body of at most MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBodyBytes {
		return nil, tooLarge()
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var maxBytes *http.MaxBytesError
	switch {
	case errors.As(err, &maxBytes):
		return nil, tooLarge()
	case err != nil:
		return nil, apierr.New(apierr.BadRequest, "reading the request body failed: %s", err.Error())
	}
	return data, nil
}

func tooLarge() error {
	return apierr.New(apierr.PayloadTooLarge, "the request body is larger than %d MiB; split the request", MaxBodyBytes>>20)
}

func (a *api) notFound(w http.ResponseWriter, r *http.Request) {
	a.writer.error(w, r, apierr.NotFoundf("no endpoint matches %s %s; see the API reference for the endpoints", r.Method, r.URL.Path))
}

// methodNotAllowed writes 405 with an Allow header listing the methods the
// path supports, found by matching the path against the operation table.
func (a *api) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePath != "" {
		path = rctx.RoutePath
	}
	var allowed []string
	for _, op := range operations {
		if slices.Contains(allowed, op.Method) {
			continue
		}
		if a.router.Match(chi.NewRouteContext(), op.Method, path) {
			allowed = append(allowed, op.Method)
		}
	}
	slices.Sort(allowed)
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	a.writer.error(w, r, apierr.New(apierr.MethodNotAllowed, "%s is not supported on this endpoint; use %s", r.Method, strings.Join(allowed, ", ")))
}

// recoverPanics turns a panic into a 500 internal_error in the envelope and
// logs it with its stack and the request's IDs. Headers and bodies are not
// logged, so no key reaches the log.
func (a *api) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			recovered := recover()
			if recovered == nil {
				return
			}
			if recovered == http.ErrAbortHandler {
				panic(recovered)
			}
			ctx := r.Context()
			info := middleware.Info(ctx)
			info.ErrorCode = string(apierr.InternalError)
			a.logger.ErrorContext(ctx, "panic while serving a request",
				slog.String("request_id", middleware.RequestIDFromContext(ctx)),
				slog.String("org_id", info.OrgID),
				slog.String("key_id", info.KeyID),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("panic", fmt.Sprint(recovered)),
				slog.String("stack", string(debug.Stack())),
			)
			a.writer.respondError(w, r, apierr.New(apierr.InternalError, "an unexpected error occurred; retry with exponential backoff"))
		}()
		next.ServeHTTP(w, r)
	})
}
