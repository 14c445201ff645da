package rest_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/cmd/breadbox/app"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/rest"
)

func TestUnknownPathIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Paths"), auth.AccountsRead)

	for _, path := range []string{"/nope", "/accounts/acc_01JD0000000000000000000000/nope", "", "/accounts/"} {
		b.call(t, http.MethodGet, path, key, nil).requireError(t, http.StatusNotFound, "not_found")
		b.call(t, http.MethodGet, path, "", nil).requireError(t, http.StatusNotFound, "not_found")
	}
}

func TestWrongMethodIsNotAllowed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Methods"), auth.AllScopes...)

	cases := []struct {
		method, path, allow string
	}{
		{http.MethodPut, "/accounts", "GET, POST"},
		{http.MethodDelete, "/accounts", "GET, POST"},
		{http.MethodPut, "/accounts/acc_01JD0000000000000000000000", "DELETE, GET, PATCH"},
		{http.MethodDelete, "/contacts/con_01JD0000000000000000000000", "GET, PATCH"},
		{http.MethodPost, "/pipeline-stages", "GET"},
		{http.MethodPost, "/status", "GET"},
	}
	for _, tc := range cases {
		res := b.call(t, tc.method, tc.path, key, nil)
		res.requireError(t, http.StatusMethodNotAllowed, "method_not_allowed")
		require.Equal(t, tc.allow, res.Header.Get("Allow"), "%s %s", tc.method, tc.path)
	}
}

func TestBodyOverLimitIsTooLarge(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Large"), auth.AccountsWrite)

	padding := strings.Repeat("a", rest.MaxBodyBytes)
	oversized := []byte(`{"name": "` + padding + `"}`)
	res := b.call(t, http.MethodPost, "/accounts", key, oversized)
	res.requireError(t, http.StatusRequestEntityTooLarge, "payload_too_large")

	// Just under the limit the body is read and judged on its fields.
	fitting := []byte(`{"name": "` + padding[:rest.MaxBodyBytes-20] + `"}`)
	res = b.call(t, http.MethodPost, "/accounts", key, bytes.NewBuffer(fitting).Bytes())
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "name")
}

func TestPanicIsInternalError(t *testing.T) {
	t.Parallel()
	b := setup(t, app.WithPanicRoute())
	key := b.key(t, b.org(t, "Panics"), auth.AccountsRead)

	res := b.call(t, http.MethodGet, rest.PanicPath, key, nil)
	res.requireError(t, http.StatusInternalServerError, "internal_error")
	require.NotContains(t, res.Body["error"].(map[string]any)["message"], "test panic")

	logs := b.logs.String()
	require.Contains(t, logs, "panic while serving a request")
	require.Contains(t, logs, `"stack":"goroutine`)
	require.Contains(t, logs, res.Header.Get("X-Request-Id"))
	require.NotContains(t, logs, key, "the raw key must never be logged")
}

func TestPanicRouteIsOffByDefault(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.call(t, http.MethodGet, rest.PanicPath, "", nil).requireError(t, http.StatusNotFound, "not_found")
}

func TestErrorEnvelopeShape(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Shape"), auth.AccountsWrite)

	res := b.call(t, http.MethodPost, "/accounts", key, map[string]any{"name": ""})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "name")
	details := res.Body["error"].(map[string]any)["details"].([]any)
	require.Len(t, details, 1)
	require.Equal(t, []any{"name"}, details[0].(map[string]any)["path"])
	require.NotEmpty(t, details[0].(map[string]any)["message"])
}
