package idempotency

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/middleware"
)

// MaxBodyBytes is the largest request body accepted: 5 MiB.
const MaxBodyBytes = 5 << 20

// WritesConfig configures the write-request middleware.
type WritesConfig struct {
	Client     *ent.Client
	Store      *Store
	WriteError middleware.ErrorWriter
	// GraphQL marks the /graphql endpoint: only POSTs sent with an
	// Idempotency-Key are handled (mutations without one get their
	// transaction from the GraphQL server), and a 200 whose body carries
	// errors counts as failed.
	GraphQL bool
	// AuditInTx writes the request's audit entry inside its transaction.
	AuditInTx func(ctx context.Context, client *ent.Client, r *http.Request, status int) error
}

// errFailed rolls back a request whose response is an error.
var errFailed = errors.New("the request failed")

// Writes runs each write request in one transaction that holds the write, its
// idempotency record and its audit entry, and commits only when the response
// succeeded. The response is buffered until the commit, so a client never sees
// success for a write that did not commit.
//
// With an Idempotency-Key, a retry with the same body replays the stored
// response and a different body gets 422 idempotency_conflict. A retry while
// the first request is still running gets 409 idempotency_in_progress. 2xx
// and 4xx responses are stored; 5xx and 429 are not, so a retry runs again.
func Writes(config WritesConfig) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			key := r.Header.Get(Header)
			if !isWrite(r, config.GraphQL, key) {
				next.ServeHTTP(w, r)
				return
			}
			ctx := r.Context()
			info := middleware.Info(ctx)

			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					config.WriteError(w, r, apierr.New(apierr.PayloadTooLarge, "the request body exceeds the limit of 5 MiB; send fewer items per request"))
					return
				}
				config.WriteError(w, r, apierr.New(apierr.BadRequest, "the request body could not be read"))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))

			var record *ent.IdempotencyRecord
			if key != "" {
				if !ValidKey(key) {
					config.WriteError(w, r, apierr.New(apierr.BadRequest, "the Idempotency-Key header must match [a-zA-Z0-9_-]{1,255}, such as a UUID or a job ID"))
					return
				}
				info.IdempotencyKey = key

				principal := auth.FromContext(ctx)
				// The API key is part of the fingerprint, so a stored response
				// is replayed only to the key that caused it: another key of
				// the org, perhaps with fewer scopes, gets a conflict.
				fingerprint := Fingerprint(r.Method, r.URL.RequestURI(), body) + ":" + principal.KeyID
				outcome, existing, err := config.Store.Begin(ctx, principal.OrgID, key, fingerprint)
				if err != nil {
					slog.ErrorContext(ctx, "checking an idempotency key failed", "request_id", middleware.RequestIDFromContext(ctx), "org_id", principal.OrgID, "error", err)
					config.WriteError(w, r, apierr.New(apierr.InternalError, "the Idempotency-Key could not be checked; retry with exponential backoff"))
					return
				}
				switch outcome {
				case Replay:
					info.Replayed = true
					replay(w, existing)
					return
				case Conflict:
					config.WriteError(w, r, apierr.New(apierr.IdempotencyConflict, "this Idempotency-Key was already used with a different request or by another API key; use a new key for a new operation"))
					return
				case InProgress:
					w.Header().Set("Retry-After", "1")
					config.WriteError(w, r, apierr.New(apierr.IdempotencyInProgress, "a request with this Idempotency-Key is still running; retry after a second"))
					return
				}
				record = existing
			}

			if record != nil {
				// A panic below rolls back the write; releasing the key lets
				// a retry run instead of waiting for the lock to expire.
				defer func() {
					if recovered := recover(); recovered != nil {
						_ = config.Store.Release(context.WithoutCancel(ctx), record)
						panic(recovered)
					}
				}()
			}

			buffer := middleware.NewBufferedResponse()
			err = database.WithTx(ctx, config.Client, func(txCtx context.Context) error {
				next.ServeHTTP(buffer, r.WithContext(txCtx))
				if failed(buffer, config.GraphQL) {
					return errFailed
				}
				client := database.Client(txCtx, config.Client)
				if record != nil {
					if err := Complete(txCtx, client, record, stored(w, buffer)); err != nil {
						return err
					}
				}
				if config.AuditInTx != nil {
					return config.AuditInTx(txCtx, client, r, buffer.StatusOrOK())
				}
				return nil
			})

			switch {
			case err == nil:
			case errors.Is(err, errFailed):
				if record != nil {
					settle(ctx, config.Store, record, w, buffer, config.GraphQL)
				}
			default:
				slog.ErrorContext(ctx, "committing a write failed", "request_id", middleware.RequestIDFromContext(ctx), "org_id", info.OrgID, "key_id", info.KeyID, "error", err)
				if record != nil {
					if releaseErr := config.Store.Release(ctx, record); releaseErr != nil {
						slog.ErrorContext(ctx, "releasing an idempotency key failed", "request_id", middleware.RequestIDFromContext(ctx), "error", releaseErr)
					}
				}
				info.Audited = false
				config.WriteError(w, r, apierr.From(err))
				return
			}
			buffer.CopyTo(w)
		})
	}
}

func isWrite(r *http.Request, graphQL bool, key string) bool {
	if graphQL {
		return r.Method == http.MethodPost && key != ""
	}
	switch r.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// failed reports whether a response must roll back its transaction.
func failed(buffer *middleware.BufferedResponse, graphQL bool) bool {
	if buffer.StatusOrOK() >= http.StatusBadRequest {
		return true
	}
	return graphQL && len(graphQLErrorCodes(buffer.Body.Bytes())) > 0
}

// settle stores a failed response that a retry must see again (4xx) or
// releases the key so a retry runs again (5xx, 429, internal GraphQL errors).
func settle(ctx context.Context, store *Store, record *ent.IdempotencyRecord, w http.ResponseWriter, buffer *middleware.BufferedResponse, graphQL bool) {
	status := buffer.StatusOrOK()
	retryable := status >= http.StatusInternalServerError || status == http.StatusTooManyRequests
	if graphQL {
		for _, code := range graphQLErrorCodes(buffer.Body.Bytes()) {
			if code == string(apierr.InternalError) || code == string(apierr.Unavailable) || code == string(apierr.RateLimited) {
				retryable = true
			}
		}
	}

	var err error
	if retryable {
		err = store.Release(ctx, record)
	} else {
		err = store.Complete(ctx, record, stored(w, buffer))
	}
	if err != nil {
		slog.ErrorContext(ctx, "settling an idempotency key failed", "request_id", middleware.RequestIDFromContext(ctx), "error", err)
	}
}

// graphQLErrorCodes returns the extensions.code of each error in a GraphQL
// response body.
func graphQLErrorCodes(body []byte) []string {
	var response struct {
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &response) != nil {
		return nil
	}
	codes := make([]string, len(response.Errors))
	for i, item := range response.Errors {
		codes[i] = item.Extensions.Code
	}
	return codes
}

// storedHeaders are the response headers a replay repeats.
var storedHeaders = []string{"Content-Type", "Location", "X-Request-Id"}

func stored(w http.ResponseWriter, buffer *middleware.BufferedResponse) Response {
	headers := make(map[string]string)
	for _, name := range storedHeaders {
		if value := buffer.Header().Get(name); value != "" {
			headers[name] = value
		} else if value := w.Header().Get(name); value != "" {
			headers[name] = value
		}
	}
	return Response{Status: buffer.StatusOrOK(), Headers: headers, Body: buffer.Body.Bytes()}
}

// replay writes a stored response with X-Idempotent-Replay: true. It carries
// the original request's X-Request-Id, matching the requestId in its body.
func replay(w http.ResponseWriter, record *ent.IdempotencyRecord) {
	for name, value := range record.ResponseHeaders {
		w.Header().Set(name, value)
	}
	w.Header().Set("X-Idempotent-Replay", "true")
	status := http.StatusOK
	if record.ResponseStatus != nil {
		status = *record.ResponseStatus
	}
	var body []byte
	if record.ResponseBody != nil {
		body = *record.ResponseBody
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
