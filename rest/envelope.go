package rest

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/middleware"
	"github.com/breadbox/breadbox/internal/render"
)

// envelope is the shape of every response that is not a list: success with
// data, or an error. It always carries the request ID (also sent as the
// X-Request-Id header) and the time of the response.
type envelope struct {
	Success   bool       `json:"success"`
	Data      any        `json:"data,omitempty"`
	Error     *errorBody `json:"error,omitempty"`
	RequestID string     `json:"requestId"`
	Timestamp string     `json:"timestamp"`
}

// listEnvelope always carries nextCursor, null on the last page.
type listEnvelope struct {
	Success    bool    `json:"success"`
	Data       any     `json:"data"`
	HasMore    bool    `json:"hasMore"`
	NextCursor *string `json:"nextCursor"`
	RequestID  string  `json:"requestId"`
	Timestamp  string  `json:"timestamp"`
}

type errorBody struct {
	Code    apierr.Code `json:"code"`
	Message string      `json:"message"`
	DocsURL string      `json:"docsUrl"`
	// Details lists the invalid parts of the request; empty for errors that
	// are not about one part.
	Details []apierr.Detail `json:"details"`
}

// result is the outcome of a handler: a status with data, or a page of a
// list.
type result struct {
	status int
	data   any
	// list marks a list result, written with hasMore and nextCursor.
	list       bool
	hasMore    bool
	nextCursor string
}

func ok(data any) result      { return result{status: http.StatusOK, data: data} }
func created(data any) result { return result{status: http.StatusCreated, data: data} }

// writer writes envelopes; docsURL is the link in every error.
type writer struct {
	docsURL string
	logger  *slog.Logger
}

func now() string { return render.FormatTime(time.Now()) }

func (wr *writer) result(w http.ResponseWriter, r *http.Request, res result) {
	requestID := middleware.RequestIDFromContext(r.Context())
	if res.list {
		var next *string
		if res.nextCursor != "" {
			next = &res.nextCursor
		}
		wr.write(w, res.status, listEnvelope{
			Success: true, Data: res.data, HasMore: res.hasMore, NextCursor: next,
			RequestID: requestID, Timestamp: now(),
		})
		return
	}
	wr.write(w, res.status, envelope{Success: true, Data: res.data, RequestID: requestID, Timestamp: now()})
}

// error writes err in the envelope with its status. Server faults are logged
// with the request's IDs; the client sees only the code and a generic
// message.
func (wr *writer) error(w http.ResponseWriter, r *http.Request, err error) {
	apiErr := apierr.From(err)
	ctx := r.Context()
	info := middleware.Info(ctx)
	if apiErr.Code == apierr.InternalError || apiErr.Code == apierr.Unavailable {
		wr.logger.ErrorContext(ctx, "request failed",
			slog.String("request_id", middleware.RequestIDFromContext(ctx)),
			slog.String("org_id", info.OrgID),
			slog.String("key_id", info.KeyID),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("error_code", string(apiErr.Code)),
			slog.Any("error", err),
		)
	}

	wr.respondError(w, r, apiErr)
}

// respondError writes an API error without logging it.
func (wr *writer) respondError(w http.ResponseWriter, r *http.Request, apiErr *apierr.Error) {
	ctx := r.Context()
	middleware.Info(ctx).ErrorCode = string(apiErr.Code)
	// The rate limiter sets its own Retry-After; the others get a second.
	retryable := apiErr.Code == apierr.RateLimited || apiErr.Code == apierr.Unavailable
	if retryable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "1")
	}
	details := apiErr.Details
	if details == nil {
		details = []apierr.Detail{}
	}
	wr.write(w, apiErr.Status(), envelope{
		Success: false,
		Error: &errorBody{
			Code:    apiErr.Code,
			Message: apiErr.Message,
			DocsURL: wr.docsURL,
			Details: details,
		},
		RequestID: middleware.RequestIDFromContext(ctx),
		Timestamp: now(),
	})
}

// writeAPIError adapts error to middleware.ErrorWriter.
func (wr *writer) writeAPIError(w http.ResponseWriter, r *http.Request, err *apierr.Error) {
	wr.error(w, r, err)
}

func (wr *writer) write(w http.ResponseWriter, status int, body any) {
	var buf bytes.Buffer
	encoder := json.NewEncoder(&buf)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(body); err != nil {
		wr.logger.Error("encoding a response failed", slog.Any("error", err))
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"success":false,"error":{"code":"internal_error","message":"the response could not be encoded"}}` + "\n")
	}
	header := w.Header()
	header.Set("Content-Type", "application/json; charset=utf-8")
	header.Set("Cache-Control", "no-store")
	header.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
