package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// RequestInfo collects what inner handlers learn about a request (the
// caller's org and key, the error code) for the log line written when it ends.
type RequestInfo struct {
	OrgID          string
	KeyID          string
	Test           bool
	ErrorCode      string
	OperationName  string
	IdempotencyKey string
	Replayed       bool
	// Started is when the request arrived.
	Started time.Time
	// Audited is set once the request's audit entry was written inside its
	// write transaction, so the outer audit layer does not write a second.
	Audited bool
}

type requestInfoKey struct{}

// Info returns the request's RequestInfo; it is never nil inside Log.
func Info(ctx context.Context) *RequestInfo {
	if info, ok := ctx.Value(requestInfoKey{}).(*RequestInfo); ok {
		return info
	}
	return &RequestInfo{}
}

// StatusRecorder remembers the status and size a handler wrote.
type StatusRecorder struct {
	http.ResponseWriter
	Status int
	Bytes  int
}

// WriteHeader records the status.
func (r *StatusRecorder) WriteHeader(status int) {
	if r.Status == 0 {
		r.Status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

// Write records the size and an implicit 200.
func (r *StatusRecorder) Write(body []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(body)
	r.Bytes += n
	return n, err
}

// Flush forwards to the underlying writer when it can flush.
func (r *StatusRecorder) Flush() {
	if flusher, ok := r.ResponseWriter.(http.Flusher); ok {
		flusher.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *StatusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Log writes one JSON log line per request with its ID, org, key, status and
// duration. It never logs headers or bodies, so no key or secret reaches the
// log.
func Log(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			started := time.Now()
			info := &RequestInfo{Started: started}
			recorder := &StatusRecorder{ResponseWriter: w}
			ctx := context.WithValue(r.Context(), requestInfoKey{}, info)

			next.ServeHTTP(recorder, r.WithContext(ctx))

			status := recorder.Status
			if status == 0 {
				status = http.StatusOK
			}
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			logger.LogAttrs(ctx, level, "request",
				slog.String("request_id", RequestIDFromContext(ctx)),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.String("error_code", info.ErrorCode),
				slog.String("org_id", info.OrgID),
				slog.String("key_id", info.KeyID),
				slog.Bool("test_mode", info.Test),
				slog.Int64("duration_ms", time.Since(started).Milliseconds()),
				slog.Int("bytes", recorder.Bytes),
			)
		})
	}
}
