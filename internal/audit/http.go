package audit

import (
	"context"
	"net/http"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/middleware"
	"github.com/breadbox/breadbox/internal/ratelimit"
)

// EntryFor builds the audit entry of a finished request from what the
// middleware layers recorded about it.
func EntryFor(r *http.Request, status int) Entry {
	info := middleware.Info(r.Context())
	started := info.Started
	if started.IsZero() {
		started = time.Now()
	}
	return Entry{
		OrgID:          info.OrgID,
		RequestID:      middleware.RequestIDFromContext(r.Context()),
		KeyID:          info.KeyID,
		TestMode:       info.Test,
		Method:         r.Method,
		Path:           r.URL.Path,
		OperationName:  info.OperationName,
		Status:         status,
		ErrorCode:      info.ErrorCode,
		Duration:       time.Since(started),
		ClientIP:       ratelimit.ClientIP(r),
		UserAgent:      r.UserAgent(),
		IdempotencyKey: info.IdempotencyKey,
		Replayed:       info.Replayed,
		At:             started,
	}
}

// WriteInTx writes the entry of a write request with the transaction's
// client, so it commits or rolls back with the write, and marks the request
// as audited.
func WriteInTx(ctx context.Context, client *ent.Client, r *http.Request, status int) error {
	if err := Write(ctx, client, EntryFor(r, status)); err != nil {
		return err
	}
	middleware.Info(r.Context()).Audited = true
	return nil
}

// Middleware enqueues one entry for every request that was not already
// audited inside its write transaction, including requests rejected with
// 401, 403 or 429.
func (l *Log) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		recorder := &middleware.StatusRecorder{ResponseWriter: w}
		next.ServeHTTP(recorder, r)

		if middleware.Info(r.Context()).Audited {
			return
		}
		status := recorder.Status
		if status == 0 {
			status = http.StatusOK
		}
		l.Enqueue(EntryFor(r, status))
	})
}
