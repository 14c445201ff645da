package rest

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"

	"github.com/breadbox/breadbox/internal/apierr"
)

// tableOperations returns the operation table. It is set in init because the
// table's own rows serve the documents, which read the table.
var tableOperations func() []Operation

func init() { tableOperations = Operations }

// documentCache holds the encoded documents by kind and public URL. The
// operation table does not change while the process runs, so each document
// is built once.
var documentCache sync.Map

type documentKey struct {
	kind      string
	publicURL string
}

// encodedDocument returns the JSON of a document, building it on first use.
func encodedDocument(kind, publicURL string, build func() any) ([]byte, error) {
	key := documentKey{kind: kind, publicURL: publicURL}
	if cached, ok := documentCache.Load(key); ok {
		return cached.([]byte), nil
	}
	var buf bytes.Buffer
	encoder := json.NewEncoder(&buf)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(build()); err != nil {
		return nil, err
	}
	documentCache.Store(key, buf.Bytes())
	return buf.Bytes(), nil
}

// serveOpenAPI writes the OpenAPI document as it is, outside the envelope.
func (a *api) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	a.serveEncoded(w, r, "openapi", func() any { return BuildOpenAPI(a.config.PublicURL, tableOperations()) })
}

// servePostman writes the Postman collection as it is, outside the envelope.
func (a *api) servePostman(w http.ResponseWriter, r *http.Request) {
	a.serveEncoded(w, r, "postman", func() any {
		ops := tableOperations()
		return BuildPostman(BuildOpenAPI(a.config.PublicURL, ops), a.config.PublicURL, ops)
	})
}

func (a *api) serveEncoded(w http.ResponseWriter, r *http.Request, kind string, build func() any) {
	data, err := encodedDocument(kind, a.config.PublicURL, build)
	if err != nil {
		a.logger.ErrorContext(r.Context(), "encoding an API document failed", slog.String("document", kind), slog.Any("error", err))
		a.writer.error(w, r, apierr.New(apierr.InternalError, "the %s document could not be built", kind))
		return
	}
	header := w.Header()
	header.Set("Content-Type", "application/json; charset=utf-8")
	header.Set("Cache-Control", "public, max-age=300")
	header.Set("X-Content-Type-Options", "nosniff")
	header.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}
