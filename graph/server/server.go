// Package server builds the GraphQL HTTP handler explicitly: its transports,
// query cache, limits, transaction per mutation, error presenter and panic
// recovery. gqlgen's default server is not used, because its defaults (no
// limits, raw error messages) are unfit for a public endpoint.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/graph"
	"github.com/breadbox/breadbox/graph/generated"
	"github.com/breadbox/breadbox/graph/scalar"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/middleware"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/webhook"
)

// Config sets the limits of the GraphQL server. Zero values take the defaults.
type Config struct {
	MaxDepth    int // default 10
	MaxCost     int // default 20000
	MaxPageSize int // default graph.MaxPageSize
	MaxAliases  int // default 100
	// Webhooks configures the webhook endpoint mutations.
	Webhooks webhook.ManagerConfig
}

// New returns the handler that serves POST and GET /graphql. It expects an
// authenticated principal in the request context.
func New(client *ent.Client, config Config) http.Handler {
	if config.MaxDepth == 0 {
		config.MaxDepth = 10
	}
	if config.MaxCost == 0 {
		config.MaxCost = 20000
	}
	if config.MaxPageSize == 0 {
		config.MaxPageSize = graph.MaxPageSize
	}
	if config.MaxAliases == 0 {
		config.MaxAliases = 100
	}

	resolver := graph.NewResolver(client)
	resolver.Webhooks = config.Webhooks
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: resolver})
	srv := handler.New(schema)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(Limits{
		MaxDepth:              config.MaxDepth,
		MaxIntrospectionDepth: 16,
		MaxCost:               config.MaxCost,
		MaxPageSize:           config.MaxPageSize,
		MaxAliases:            config.MaxAliases,
	})
	srv.Use(newNullableCursors(schema.Schema()))
	srv.Use(RejectNUL{})
	srv.Use(SetAndClear{})
	srv.Use(transactioner{client: client})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		// The audit entry names the operation.
		operation := graphql.GetOperationContext(ctx)
		name := operation.OperationName
		if name == "" && operation.Operation != nil {
			name = operation.Operation.Name
		}
		middleware.Info(ctx).OperationName = name
		return next(ctx)
	})
	srv.SetErrorPresenter(presentError)
	srv.SetRecoverFunc(recoverPanic)

	return srv
}

// GraphiQL serves the GraphiQL IDE to browsers that GET /graphql asking for
// HTML, and passes every other request to next.
func GraphiQL(endpoint string, next http.Handler) http.Handler {
	ide := playground.Handler("Breadbox GraphQL", endpoint)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") && r.URL.Query().Get("query") == "" {
			ide.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// MaxBodyBytes is the largest GraphQL request body accepted: 5 MiB, as on
// REST.
const MaxBodyBytes = 5 << 20

// LimitBody rejects a request body over MaxBodyBytes with 413
// payload_too_large before the document is read.
func LimitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			WriteError(w, r, apierr.New(apierr.PayloadTooLarge, "the request body is larger than 5 MiB; send a smaller document"))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// transactioner runs each mutation operation in one transaction, shared by all
// its fields, and rolls it back when any field fails.
type transactioner struct{ client *ent.Client }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = transactioner{}

func (transactioner) ExtensionName() string                   { return "BreadboxTransactioner" }
func (transactioner) Validate(graphql.ExecutableSchema) error { return nil }

// errFieldFailed rolls back a mutation whose response carries errors.
var errFieldFailed = errors.New("a mutation field failed")

func (t transactioner) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	// A request that failed before parsing (a batched array, say) has no
	// operation context.
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	operation := graphql.GetOperationContext(ctx).Operation
	if operation == nil || operation.Operation != ast.Mutation || database.InTx(ctx) {
		return next(ctx)
	}

	var response *graphql.Response
	err := database.WithTx(ctx, t.client, func(ctx context.Context) error {
		response = next(ctx)
		if response != nil && len(response.Errors) > 0 {
			return errFieldFailed
		}
		return nil
	})
	switch {
	case errors.Is(err, errFieldFailed):
		// The data of a rolled-back mutation must not look committed.
		response.Data = json.RawMessage("null")
	case err != nil:
		return graphql.ErrorResponse(ctx, "%s", presentError(ctx, err).Message)
	}
	return response
}

// presentError turns a resolver error into a GraphQL error whose
// extensions.code uses the REST vocabulary. Internal errors are logged with the
// request ID and reported without their cause.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	// node(id:) and nodes(ids:) wrap ent's not-found error together with an
	// entgql error whose code is NOT_FOUND; the ent error decides, so the code
	// is not_found as everywhere else.
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil && !ent.IsNotFound(err) {
		// Parse and validation errors from gqlgen itself.
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{"code": string(apierr.BadRequest)}
		}
		return gqlErr
	}

	presented := graphql.DefaultErrorPresenter(ctx, err)
	apiErr := apierr.From(err)
	if apiErr.Code == apierr.InternalError {
		if input := inputError(err, presented.Path); input != nil {
			apiErr = input
		}
	}
	if apiErr.Code == apierr.InternalError || apiErr.Code == apierr.Unavailable {
		slog.ErrorContext(ctx, "graphql resolver failed",
			"request_id", middleware.RequestIDFromContext(ctx),
			"path", presented.Path.String(),
			"error", err)
	}

	presented.Message = apiErr.Message
	presented.Extensions = map[string]any{"code": string(apiErr.Code)}
	if len(apiErr.Details) > 0 {
		presented.Extensions["details"] = apiErr.Details
	}
	if apiErr.Scope != "" {
		presented.Extensions["requiredScope"] = apiErr.Scope
	}
	if info := middleware.Info(ctx); info.ErrorCode == "" {
		info.ErrorCode = string(apiErr.Code)
	}
	return presented
}

// inputError recognises the errors of scalar arguments that a client got
// wrong (money, times, integers, cursors), which gqlgen reports with the argument's
// path, and turns them into a validation_error naming that argument.
func inputError(err error, path ast.Path) *apierr.Error {
	var message string
	var intErr *scalar.IntError
	var floatErr *scalar.FloatError
	switch {
	case errors.As(err, &intErr):
		message = intErr.Error()
	case errors.As(err, &floatErr):
		message = floatErr.Error()
	case errors.Is(err, money.ErrPrecision):
		message = money.ErrPrecision.Error()
	case errors.Is(err, money.ErrRange):
		message = money.ErrRange.Error()
	case errors.Is(err, money.ErrNotNumber):
		message = money.ErrNotNumber.Error()
	case errors.Is(err, scalar.ErrInvalidTime):
		message = "must be an RFC 3339 time such as 2026-05-06T18:42:11.443Z"
	case strings.Contains(err.Error(), "cannot decode cursor"):
		message = "is not a cursor of this API; pass the endCursor or startCursor of a previous page"
	default:
		return nil
	}

	field := "input"
	if len(path) > 0 {
		if name, ok := path[len(path)-1].(ast.PathName); ok {
			field = string(name)
		}
	}
	return apierr.Invalid(field, "%s", message)
}

// recoverPanic logs a resolver panic with its stack and reports an
// internal_error; the request's secrets are never part of the log.
func recoverPanic(ctx context.Context, recovered any) error {
	slog.ErrorContext(ctx, "graphql resolver panicked",
		"request_id", middleware.RequestIDFromContext(ctx),
		"panic", fmt.Sprint(recovered),
		"stack", string(debug.Stack()))
	return apierr.New(apierr.InternalError, "an unexpected error occurred; retry with exponential backoff")
}

// WriteError writes an API error raised before GraphQL execution (401, 429)
// as a GraphQL response with the error's HTTP status.
func WriteError(w http.ResponseWriter, r *http.Request, apiErr *apierr.Error) {
	middleware.Info(r.Context()).ErrorCode = string(apiErr.Code)
	body := map[string]any{
		"errors": []map[string]any{{
			"message":    apiErr.Message,
			"extensions": map[string]any{"code": string(apiErr.Code)},
		}},
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(apiErr.Status())
	_ = json.NewEncoder(w).Encode(body)
}
