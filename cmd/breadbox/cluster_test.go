package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/testdb"
)

// TestTwoNodesShareRateLimit runs two serve processes on one PostgreSQL and
// one Redis and checks that together they let through no more than the key's
// limit in the window.
func TestTwoNodesShareRateLimit(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("needs " + testdb.PostgresEnv + ": two nodes share a PostgreSQL")
	}
	binary := filepath.Join(t.TempDir(), "breadbox")
	output, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	require.NoError(t, err, "building breadbox: %s", output)

	// Redis database 0 is shared with other runs; the limits are keyed by the
	// fresh key and org IDs, so they cannot collide.
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	environment := append(os.Environ(),
		"BREADBOX_DATABASE_URL="+testdb.URL(t),
		"BREADBOX_REDIS_URL=redis://127.0.0.1:6379/0",
	)
	runCLI := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(binary, args...)
		cmd.Env = environment
		stdout, err := cmd.Output()
		require.NoError(t, err, "breadbox %v", args)
		return stdout
	}

	var org struct{ ID string }
	require.NoError(t, json.Unmarshal(runCLI("org", "create", "--name", "Cluster MSP "+hex.EncodeToString(suffix[:]), "--plan", "growth", "--json"), &org))
	var key struct{ Key string }
	require.NoError(t, json.Unmarshal(runCLI("key", "create", "--org", org.ID, "--name", "k", "--scopes", "accounts:read", "--json"), &key))

	var addrs []string
	for range 2 {
		addr := freeAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		serve := exec.CommandContext(ctx, binary, "serve", "--addr", addr)
		serve.Env = environment
		serve.Cancel = func() error { return serve.Process.Signal(os.Interrupt) }
		require.NoError(t, serve.Start())
		t.Cleanup(func() { cancel(); _ = serve.Wait() })
		waitHealthy(t, "http://"+addr+"/healthz")
		addrs = append(addrs, addr)
	}

	// Growth allows 60 requests per key per minute; send 100 across both nodes.
	var allowed, limited atomic.Int64
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Go(func() {
			body, _ := json.Marshal(map[string]string{"query": "{ accounts { totalCount } }"})
			request, _ := http.NewRequest(http.MethodPost, "http://"+addrs[i%2]+"/graphql", bytes.NewReader(body))
			request.Header.Set("Authorization", "Bearer "+key.Key)
			request.Header.Set("Content-Type", "application/json")
			response, err := http.DefaultClient.Do(request)
			if err != nil {
				return
			}
			response.Body.Close()
			switch response.StatusCode {
			case http.StatusOK:
				allowed.Add(1)
			case http.StatusTooManyRequests:
				limited.Add(1)
			}
		})
	}
	wg.Wait()
	require.EqualValues(t, 60, allowed.Load(), "exactly the key's limit passes across both nodes")
	require.EqualValues(t, 40, limited.Load())
}
