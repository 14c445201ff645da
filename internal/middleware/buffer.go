package middleware

import (
	"bytes"
	"net/http"
)

// BufferedResponse collects a handler's status, headers and body so the
// caller can decide (commit or roll back, store for replay) before anything
// reaches the client.
type BufferedResponse struct {
	header http.Header
	Status int
	Body   bytes.Buffer
}

// NewBufferedResponse returns an empty buffer.
func NewBufferedResponse() *BufferedResponse {
	return &BufferedResponse{header: make(http.Header)}
}

// Header implements http.ResponseWriter.
func (b *BufferedResponse) Header() http.Header { return b.header }

// WriteHeader implements http.ResponseWriter.
func (b *BufferedResponse) WriteHeader(status int) {
	if b.Status == 0 {
		b.Status = status
	}
}

// Write implements http.ResponseWriter.
func (b *BufferedResponse) Write(data []byte) (int, error) {
	if b.Status == 0 {
		b.Status = http.StatusOK
	}
	return b.Body.Write(data)
}

// StatusOrOK returns the status, 200 when the handler set none.
func (b *BufferedResponse) StatusOrOK() int {
	if b.Status == 0 {
		return http.StatusOK
	}
	return b.Status
}

// CopyTo writes the buffered response to w.
func (b *BufferedResponse) CopyTo(w http.ResponseWriter) {
	for name, values := range b.header {
		w.Header()[name] = values
	}
	w.WriteHeader(b.StatusOrOK())
	_, _ = w.Write(b.Body.Bytes())
}
