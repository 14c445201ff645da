package idempotency

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/testdb"
)

func TestFingerprintIgnoresKeyOrderAndWhitespace(t *testing.T) {
	t.Parallel()
	a := Fingerprint("POST", "/api/v1/accounts", []byte(`{"name":"Acme","tags":["a","b"],"n":1.50}`))
	b := Fingerprint("POST", "/api/v1/accounts", []byte("{ \"n\": 1.50,\n \"tags\": [\"a\", \"b\"], \"name\": \"Acme\" }"))
	require.Equal(t, a, b)

	require.NotEqual(t, a, Fingerprint("POST", "/api/v1/accounts", []byte(`{"name":"Acme","tags":["b","a"],"n":1.50}`)), "array order matters")
	require.NotEqual(t, a, Fingerprint("PATCH", "/api/v1/accounts", []byte(`{"name":"Acme","tags":["a","b"],"n":1.50}`)), "method matters")
	require.NotEqual(t, a, Fingerprint("POST", "/api/v1/contacts", []byte(`{"name":"Acme","tags":["a","b"],"n":1.50}`)), "path matters")
	require.NotEqual(t, a, Fingerprint("POST", "/api/v1/accounts", []byte(`{"name":"Acme","tags":["a","b"],"n":1.5}`)), "number text matters")
}

func TestValidKey(t *testing.T) {
	t.Parallel()
	require.True(t, ValidKey("import-job-2026-05-06-abc123"))
	require.True(t, ValidKey("0f8fad5b-d9cb-469f-a165-70867728950e"))
	require.False(t, ValidKey(""))
	require.False(t, ValidKey("has space"))
	require.False(t, ValidKey("semi;colon"))
	require.False(t, ValidKey(string(make([]byte, 256))))
}

func TestBeginOutcomes(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	org, err := admin.CreateOrg(ctx, db.Client, "Idempotent MSP", "")
	require.NoError(t, err)
	store := NewStore(db.Client)

	outcome, record, err := store.Begin(ctx, org.ID, "job-1", "fp-a")
	require.NoError(t, err)
	require.Equal(t, Run, outcome)

	outcome, _, err = store.Begin(ctx, org.ID, "job-1", "fp-a")
	require.NoError(t, err)
	require.Equal(t, InProgress, outcome, "a duplicate while the first runs")

	require.NoError(t, store.Complete(ctx, record, Response{Status: http.StatusCreated, Body: []byte(`{"ok":true}`)}))
	outcome, replayed, err := store.Begin(ctx, org.ID, "job-1", "fp-a")
	require.NoError(t, err)
	require.Equal(t, Replay, outcome)
	require.Equal(t, http.StatusCreated, *replayed.ResponseStatus)

	outcome, _, err = store.Begin(ctx, org.ID, "job-1", "fp-b")
	require.NoError(t, err)
	require.Equal(t, Conflict, outcome, "same key, another body")

	other, err := admin.CreateOrg(ctx, db.Client, "Other MSP", "")
	require.NoError(t, err)
	outcome, _, err = store.Begin(ctx, other.ID, "job-1", "fp-b")
	require.NoError(t, err)
	require.Equal(t, Run, outcome, "keys are scoped to the org")
}

func TestBeginTakesOverExpiredRecords(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	org, err := admin.CreateOrg(ctx, db.Client, "Idempotent MSP", "")
	require.NoError(t, err)
	store := NewStore(db.Client)

	_, _, err = store.Begin(ctx, org.ID, "crashed", "fp")
	require.NoError(t, err)

	store.now = func() time.Time { return time.Now().Add(LockTimeout + time.Second) }
	outcome, _, err := store.Begin(ctx, org.ID, "crashed", "fp")
	require.NoError(t, err)
	require.Equal(t, Run, outcome, "a claim whose request died can be retried")

	store.now = func() time.Time { return time.Now().Add(TTL + time.Hour) }
	deleted, err := store.Cleanup(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, deleted)
}

func TestBeginClaimsOnceUnderConcurrency(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	org, err := admin.CreateOrg(ctx, db.Client, "Idempotent MSP", "")
	require.NoError(t, err)
	store := NewStore(db.Client)

	var (
		mu   sync.Mutex
		runs int
		wg   sync.WaitGroup
	)
	for range 50 {
		wg.Go(func() {
			outcome, _, err := store.Begin(ctx, org.ID, "race", "fp")
			if err == nil && outcome == Run {
				mu.Lock()
				runs++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Equal(t, 1, runs)
}
