package idempotency

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/testdb"
)

// scriptedServer serves a Writes-wrapped handler that answers with the next
// status of a script, counting how often the handler really ran.
func scriptedServer(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	db := testdb.Open(t)
	org, err := admin.CreateOrg(context.Background(), db.Client, "Scripted MSP", "")
	require.NoError(t, err)

	var runs atomic.Int64
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		index := runs.Add(1) - 1
		status := statuses[min(int(index), len(statuses)-1)]
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"run":`+string(rune('0'+index))+`}`)
	})
	writes := Writes(WritesConfig{
		Client: db.Client,
		Store:  NewStore(db.Client),
		WriteError: func(w http.ResponseWriter, _ *http.Request, apiErr *apierr.Error) {
			w.WriteHeader(apiErr.Status())
			_, _ = io.WriteString(w, string(apiErr.Code))
		},
	})
	withPrincipal := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			principal := &auth.Principal{OrgID: org.ID, KeyID: "key_test", Scopes: auth.NewScopeSet(auth.AccountsWrite)}
			next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), principal)))
		})
	}
	server := httptest.NewServer(withPrincipal(writes(handler)))
	t.Cleanup(server.Close)
	return server, &runs
}

func send(t *testing.T, url, key, body string) (int, string, http.Header) {
	t.Helper()
	request, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	if key != "" {
		request.Header.Set(Header, key)
	}
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	defer response.Body.Close()
	content, _ := io.ReadAll(response.Body)
	return response.StatusCode, string(content), response.Header
}

func TestServerErrorIsNotReplayed(t *testing.T) {
	server, runs := scriptedServer(t, http.StatusInternalServerError, http.StatusCreated)

	status, _, _ := send(t, server.URL+"/accounts", "retry-me", `{"name":"Acme"}`)
	require.Equal(t, http.StatusInternalServerError, status)

	status, body, header := send(t, server.URL+"/accounts", "retry-me", `{"name":"Acme"}`)
	require.Equal(t, http.StatusCreated, status, "a retry after a 500 runs again")
	require.Empty(t, header.Get("X-Idempotent-Replay"))

	status, replayed, header := send(t, server.URL+"/accounts", "retry-me", `{ "name" : "Acme" }`)
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, "true", header.Get("X-Idempotent-Replay"))
	require.Equal(t, body, replayed)
	require.EqualValues(t, 2, runs.Load(), "the replay did not run the handler")
}

func TestClientErrorIsReplayed(t *testing.T) {
	server, runs := scriptedServer(t, http.StatusUnprocessableEntity, http.StatusCreated)

	status, _, _ := send(t, server.URL+"/accounts", "bad-body", `{"name":""}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)

	status, _, header := send(t, server.URL+"/accounts", "bad-body", `{"name":""}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "true", header.Get("X-Idempotent-Replay"))
	require.EqualValues(t, 1, runs.Load())
}

func TestRateLimitedIsNotReplayed(t *testing.T) {
	server, runs := scriptedServer(t, http.StatusTooManyRequests, http.StatusCreated)

	status, _, _ := send(t, server.URL+"/accounts", "slow-down", `{}`)
	require.Equal(t, http.StatusTooManyRequests, status)
	status, _, _ = send(t, server.URL+"/accounts", "slow-down", `{}`)
	require.Equal(t, http.StatusCreated, status)
	require.EqualValues(t, 2, runs.Load())
}

func TestKeyConflictAndBadKey(t *testing.T) {
	server, _ := scriptedServer(t, http.StatusCreated)

	status, _, _ := send(t, server.URL+"/accounts", "job-7", `{"name":"Acme"}`)
	require.Equal(t, http.StatusCreated, status)

	status, body, _ := send(t, server.URL+"/accounts", "job-7", `{"name":"Other"}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "idempotency_conflict", body)

	status, body, _ = send(t, server.URL+"/accounts", "not a key!", `{}`)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, "bad_request", body)
}

func TestOversizedBodyIsRejected(t *testing.T) {
	server, runs := scriptedServer(t, http.StatusCreated)

	status, body, _ := send(t, server.URL+"/accounts", "", strings.Repeat("x", MaxBodyBytes+1))
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	require.Equal(t, "payload_too_large", body)
	require.EqualValues(t, 0, runs.Load())
}
