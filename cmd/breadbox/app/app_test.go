package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/cmd/breadbox/app"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/auditentry"
	"github.com/breadbox/breadbox/ent/idempotencyrecord"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/config"
	"github.com/breadbox/breadbox/internal/testdb"
)

// bundle is a running server on a fresh database with one org and its key.
type bundle struct {
	app    *app.App
	server *httptest.Server
	orgID  string
	key    string
	cancel context.CancelFunc
	done   chan struct{}
}

func start(t *testing.T, databaseURL string) *bundle {
	t.Helper()
	cfg := config.Config{
		DatabaseURL:    databaseURL,
		Addr:           "127.0.0.1:0",
		PublicURL:      "http://127.0.0.1",
		MigrateOnStart: true,
		LogLevel:       slog.LevelWarn,
	}
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	instance, err := app.New(context.Background(), cfg, logger)
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		instance.Audit.Run(ctx)
	}()
	b := &bundle{app: instance, server: httptest.NewServer(instance.Handler()), cancel: cancel, done: done}
	t.Cleanup(b.stop)
	return b
}

// stop closes the server, drains the audit buffer and closes the database.
func (b *bundle) stop() {
	if b.server == nil {
		return
	}
	b.server.Close()
	b.cancel()
	<-b.done
	_ = b.app.Close()
	b.server = nil
}

func (b *bundle) withOrg(t *testing.T, plan string, scopes ...string) *bundle {
	t.Helper()
	ctx := context.Background()
	org, err := admin.CreateOrg(ctx, b.app.DB.Client, "Northwind IT", plan)
	require.NoError(t, err)
	key, err := admin.CreateKey(ctx, b.app.DB.Client, admin.KeyParams{OrgID: org.ID, Name: "test", Scopes: scopes})
	require.NoError(t, err)
	b.orgID, b.key = org.ID, key.Raw
	return b
}

type response struct {
	status int
	header http.Header
	body   string
}

func (b *bundle) graphql(t *testing.T, key, idempotencyKey, query string) response {
	t.Helper()
	payload, _ := json.Marshal(map[string]string{"query": query})
	request, err := http.NewRequest(http.MethodPost, b.server.URL+"/graphql", bytes.NewReader(payload))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "application/json")
	if key != "" {
		request.Header.Set("Authorization", "Bearer "+key)
	}
	if idempotencyKey != "" {
		request.Header.Set("Idempotency-Key", idempotencyKey)
	}
	result, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	defer result.Body.Close()
	body, _ := io.ReadAll(result.Body)
	return response{status: result.StatusCode, header: result.Header, body: string(body)}
}

func (b *bundle) accountCount(t *testing.T) int {
	t.Helper()
	count, err := b.app.DB.Client.Account.Query().Where(account.OrgID(b.orgID)).Count(auth.SystemContext(context.Background(), b.orgID))
	require.NoError(t, err)
	return count
}

const createAcme = `mutation CreateAcme { createAccount(input: {name: "Acme Healthcare"}) { id name } }`

func TestConcurrentRetriesCreateOnce(t *testing.T) {
	b := start(t, testdb.URL(t)).withOrg(t, "enterprise", "accounts:write")

	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		responses []response
	)
	for range 100 {
		wg.Go(func() {
			result := b.graphql(t, b.key, "import-batch-001", createAcme)
			mu.Lock()
			responses = append(responses, result)
			mu.Unlock()
		})
	}
	wg.Wait()

	require.Equal(t, 1, b.accountCount(t), "the mutation ran exactly once")
	originals := 0
	for _, result := range responses {
		switch {
		case result.status == http.StatusConflict:
			require.Equal(t, "1", result.header.Get("Retry-After"))
			require.Contains(t, result.body, "idempotency_in_progress")
		case result.header.Get("X-Idempotent-Replay") == "true":
			require.Equal(t, http.StatusOK, result.status)
		default:
			require.Equal(t, http.StatusOK, result.status, result.body)
			originals++
		}
	}
	require.Equal(t, 1, originals)
}

func TestReplaySurvivesRestart(t *testing.T) {
	databaseURL := testdb.URL(t)
	first := start(t, databaseURL).withOrg(t, "growth", "accounts:write")
	original := first.graphql(t, first.key, "restart-1", createAcme)
	require.Equal(t, http.StatusOK, original.status)
	key, orgID := first.key, first.orgID
	first.stop()

	second := start(t, databaseURL)
	second.orgID = orgID
	replayed := second.graphql(t, key, "restart-1", createAcme)
	require.Equal(t, "true", replayed.header.Get("X-Idempotent-Replay"))
	require.JSONEq(t, original.body, replayed.body)
	require.Equal(t, 1, second.accountCount(t))
}

func TestRateLimitedRequestIsNotStored(t *testing.T) {
	b := start(t, testdb.URL(t)).withOrg(t, "starter", "accounts:write")

	for i := range 30 {
		result := b.graphql(t, b.key, "", `{ accounts { totalCount } }`)
		require.Equal(t, http.StatusOK, result.status, "request %d", i)
		require.Equal(t, "30", result.header.Get("X-RateLimit-Limit"))
	}
	limited := b.graphql(t, b.key, "after-limit", createAcme)
	require.Equal(t, http.StatusTooManyRequests, limited.status)
	require.Contains(t, limited.body, "rate_limited")
	require.Contains(t, limited.body, "this API key exceeded its limit of 30")
	require.NotEmpty(t, limited.header.Get("Retry-After"))
	require.Contains(t, limited.header.Get("RateLimit-Policy"), `"org";q=60;w=60`)

	stored, err := b.app.DB.Client.IdempotencyRecord.Query().
		Where(idempotencyrecord.Key("after-limit")).
		Exist(auth.WithPrincipal(context.Background(), &auth.Principal{System: true}))
	require.NoError(t, err)
	require.False(t, stored, "a 429 leaves no idempotency record, so a later retry runs")
	require.Equal(t, 0, b.accountCount(t))
}

func TestEveryRequestHasOneAuditEntry(t *testing.T) {
	b := start(t, testdb.URL(t)).withOrg(t, "enterprise", "accounts:write")
	reader, err := admin.CreateKey(context.Background(), b.app.DB.Client, admin.KeyParams{OrgID: b.orgID, Name: "reader", Scopes: []string{"contacts:read"}})
	require.NoError(t, err)

	cases := []struct {
		name   string
		result response
		status int
		code   string
	}{
		{"read", b.graphql(t, b.key, "", `query ListAccounts { accounts { totalCount } }`), 200, ""},
		{"write", b.graphql(t, b.key, "", createAcme), 200, ""},
		{"idempotent write", b.graphql(t, b.key, "audit-1", createAcme), 200, ""},
		{"replay", b.graphql(t, b.key, "audit-1", createAcme), 200, ""},
		{"invalid write", b.graphql(t, b.key, "", `mutation { createAccount(input: {name: ""}) { id } }`), 200, "validation_error"},
		{"missing scope", b.graphql(t, reader.Raw, "", createAcme), 200, "insufficient_scope"},
		{"no key", b.graphql(t, "", "", `{ accounts { totalCount } }`), 401, "unauthorized"},
		{"unknown key", b.graphql(t, "msp_live_notarealkeynotarealkeynotarealkey", "", `{ accounts { totalCount } }`), 401, "unauthorized"},
	}

	// Stopping the background writer drains the buffer into the database.
	b.cancel()
	<-b.done

	ctx := auth.WithPrincipal(context.Background(), &auth.Principal{System: true})
	total, err := b.app.DB.Client.AuditEntry.Query().Count(ctx)
	require.NoError(t, err)
	require.Equal(t, len(cases), total, "one entry per request, no more")

	for _, tc := range cases {
		requestID := tc.result.header.Get("X-Request-Id")
		if tc.name == "replay" {
			// A replay repeats the original's X-Request-Id, so find it by flag.
			entry, err := b.app.DB.Client.AuditEntry.Query().Where(auditentry.Replayed(true)).Only(ctx)
			require.NoError(t, err, tc.name)
			require.Equal(t, "audit-1", *entry.IdempotencyKey)
			continue
		}
		entries, err := b.app.DB.Client.AuditEntry.Query().Where(auditentry.RequestID(requestID)).All(ctx)
		require.NoError(t, err)
		require.Len(t, entries, 1, tc.name)
		entry := entries[0]
		require.Equal(t, tc.status, entry.Status, tc.name)
		require.Equal(t, tc.status, tc.result.status, tc.name)
		if tc.code == "" {
			require.Nil(t, entry.ErrorCode, tc.name)
		} else {
			require.Equal(t, tc.code, *entry.ErrorCode, tc.name)
		}
		if tc.status == http.StatusUnauthorized {
			require.Nil(t, entry.OrgID, tc.name)
		} else {
			require.Equal(t, b.orgID, *entry.OrgID, tc.name)
		}
	}

	listed, err := b.app.DB.Client.AuditEntry.Query().Where(auditentry.OperationName("ListAccounts")).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, listed, "the GraphQL operation name is recorded")
}

func TestReplayNeedsTheSameKey(t *testing.T) {
	b := start(t, testdb.URL(t)).withOrg(t, "enterprise", "accounts:write")
	reader, err := admin.CreateKey(context.Background(), b.app.DB.Client, admin.KeyParams{OrgID: b.orgID, Name: "reader", Scopes: []string{"tasks:read"}})
	require.NoError(t, err)

	original := b.graphql(t, b.key, "shared-key", createAcme)
	require.Equal(t, http.StatusOK, original.status)

	other := b.graphql(t, reader.Raw, "shared-key", createAcme)
	require.Equal(t, http.StatusUnprocessableEntity, other.status, other.body)
	require.Contains(t, other.body, "idempotency_conflict")
	require.Empty(t, other.header.Get("X-Idempotent-Replay"), "a key without the scope never sees the stored response")
	require.NotContains(t, other.body, "Acme Healthcare")
}
