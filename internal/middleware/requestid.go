// Package middleware holds the HTTP middleware shared by /api/v1 and
// /graphql: request IDs, structured request logs and authentication.
package middleware

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

type requestIDKey struct{}

// NewRequestID returns "req_" followed by 16 hex characters.
func NewRequestID() string {
	var buf [8]byte
	_, _ = rand.Read(buf[:])
	return "req_" + hex.EncodeToString(buf[:])
}

// RequestIDFromContext returns the request's ID, or "".
func RequestIDFromContext(ctx context.Context) string {
	requestID, _ := ctx.Value(requestIDKey{}).(string)
	return requestID
}

// WithRequestID returns a context carrying the request ID.
func WithRequestID(ctx context.Context, requestID string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, requestID)
}

// RequestID gives every request a fresh ID, in its context and in the
// X-Request-Id response header. A client-sent ID is ignored, because support
// tickets must be able to trust it.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requestID := NewRequestID()
		w.Header().Set("X-Request-Id", requestID)
		next.ServeHTTP(w, r.WithContext(WithRequestID(r.Context(), requestID)))
	})
}
