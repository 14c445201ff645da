package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/testdb"
)

// TestReadmeFlow follows the README as a new user would: build the binary,
// create an org and a key with the CLI, start the server, then create and list
// accounts over GraphQL with the key.
func TestReadmeFlow(t *testing.T) {
	binary := filepath.Join(t.TempDir(), "breadbox")
	build := exec.Command("go", "build", "-o", binary, ".")
	output, err := build.CombinedOutput()
	require.NoError(t, err, "building breadbox: %s", output)

	workdir := t.TempDir()
	// A zero key cache makes a revocation visible to the running server at once.
	environment := append(os.Environ(), "BREADBOX_DATABASE_URL="+testdb.URL(t), "BREADBOX_KEY_CACHE_TTL=0s")
	runCLI := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(binary, args...)
		cmd.Dir, cmd.Env = workdir, environment
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		require.NoError(t, err, "breadbox %s: %s", strings.Join(args, " "), stderr.String())
		return stdout
	}

	var org struct{ ID, Name, Plan string }
	require.NoError(t, json.Unmarshal(runCLI("org", "create", "--name", "Northwind IT", "--json"), &org))
	require.True(t, strings.HasPrefix(org.ID, "org_"), org.ID)
	require.Equal(t, "GROWTH", org.Plan)

	var key struct {
		ID, Key string
		Scopes  []string
	}
	require.NoError(t, json.Unmarshal(runCLI("key", "create", "--org", org.ID, "--name", "dashboard",
		"--scopes", "accounts:write", "--json"), &key))
	require.True(t, strings.HasPrefix(key.Key, "msp_live_"), "raw key has the live prefix")
	require.True(t, strings.HasPrefix(key.ID, "key_"))

	listed := string(runCLI("key", "list", "--org", org.ID, "--json"))
	require.Contains(t, listed, key.ID)
	require.NotContains(t, listed, key.Key, "the raw key is never shown again")

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	serve := exec.CommandContext(ctx, binary, "serve", "--addr", addr)
	serve.Dir, serve.Env = workdir, environment
	serve.Cancel = func() error { return serve.Process.Signal(os.Interrupt) }
	var serverLog bytes.Buffer
	serve.Stderr = &serverLog
	require.NoError(t, serve.Start())
	t.Cleanup(func() {
		cancel()
		_ = serve.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", serverLog.String())
		}
	})
	waitHealthy(t, "http://"+addr+"/healthz")

	created := graphql(t, addr, key.Key, `mutation { createAccount(input: {name: "Acme Healthcare", industry: "Healthcare", employeeCount: 65}) { id name lifecycleStatus } }`)
	require.Contains(t, created, `"lifecycleStatus":"PROSPECT"`)

	listedAccounts := graphql(t, addr, key.Key, `{ accounts(first: 10) { totalCount edges { node { name } } } }`)
	require.Contains(t, listedAccounts, `"totalCount":1`)
	require.Contains(t, listedAccounts, `"name":"Acme Healthcare"`)

	runCLI("key", "revoke", "--org", org.ID, "--id", key.ID)
	status, _ := post(t, addr, key.Key, `{ accounts { totalCount } }`)
	require.Equal(t, http.StatusUnauthorized, status, "a revoked key is rejected")
}

func freeAddr(t testing.TB) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := listener.Addr().String()
	require.NoError(t, listener.Close())
	return addr
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		response, err := http.Get(url)
		if err == nil {
			response.Body.Close()
			if response.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the server did not become healthy at %s", url)
}

func post(t *testing.T, addr, key, query string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	request, err := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	request.Header.Set("Authorization", "Bearer "+key)
	request.Header.Set("Content-Type", "application/json")
	response, err := http.DefaultClient.Do(request)
	require.NoError(t, err)
	defer response.Body.Close()
	var buffer bytes.Buffer
	_, _ = buffer.ReadFrom(response.Body)
	return response.StatusCode, buffer.String()
}

func graphql(t *testing.T, addr, key, query string) string {
	t.Helper()
	status, body := post(t, addr, key, query)
	require.Equal(t, http.StatusOK, status, body)
	require.NotContains(t, body, `"errors"`, body)
	return body
}
