package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/testdb"
	"github.com/breadbox/breadbox/internal/webhook"
)

// TestWebhookCommands manages an endpoint with the CLI, then lets a running
// server deliver an event of a GraphQL write to a loopback receiver, signed
// with the secret the CLI printed.
func TestWebhookCommands(t *testing.T) {
	binary := filepath.Join(t.TempDir(), "breadbox")
	build := exec.Command("go", "build", "-o", binary, ".")
	output, err := build.CombinedOutput()
	require.NoError(t, err, "building breadbox: %s", output)

	type received struct {
		header http.Header
		body   []byte
	}
	requests := make(chan received, 16)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		requests <- received{header: r.Header.Clone(), body: body}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(receiver.Close)
	next := func() received {
		t.Helper()
		select {
		case got := <-requests:
			return got
		case <-time.After(30 * time.Second):
			t.Fatal("no webhook arrived within 30 s")
			return received{}
		}
	}

	workdir := t.TempDir()
	environment := append(os.Environ(),
		"BREADBOX_DATABASE_URL="+testdb.URL(t),
		"BREADBOX_WEBHOOK_ALLOW_PRIVATE=true",
		"BREADBOX_WEBHOOK_ALLOW_HTTP=true",
		"BREADBOX_WEBHOOK_RETRY_SCHEDULE=10ms,20ms",
		"BREADBOX_SECRET_KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	)
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

	var org struct{ ID string }
	require.NoError(t, json.Unmarshal(runCLI("org", "create", "--name", "Northwind IT", "--json"), &org))
	var key struct{ Key string }
	require.NoError(t, json.Unmarshal(runCLI("key", "create", "--org", org.ID, "--name", "sync",
		"--scopes", "accounts:write", "--json"), &key))

	type endpoint struct {
		ID, URL, State, Secret string
		Events                 []string
	}
	var created endpoint
	require.NoError(t, json.Unmarshal(runCLI("webhook", "create", "--org", org.ID, "--url", receiver.URL+"/hooks",
		"--events", "account.created,account.updated", "--description", "CRM sync", "--json"), &created))
	require.True(t, strings.HasPrefix(created.ID, "whe_"), created.ID)
	require.True(t, strings.HasPrefix(created.Secret, "whsec_"), "the secret is printed at creation")
	require.Equal(t, []string{"account.created", "account.updated"}, created.Events)

	listed := string(runCLI("webhook", "list", "--org", org.ID, "--json"))
	require.Contains(t, listed, created.ID)
	require.NotContains(t, listed, created.Secret, "the secret is never shown again")

	var disabled endpoint
	require.NoError(t, json.Unmarshal(runCLI("webhook", "disable", "--org", org.ID, "--id", created.ID, "--json"), &disabled))
	require.Equal(t, "DISABLED", disabled.State)
	var enabled endpoint
	require.NoError(t, json.Unmarshal(runCLI("webhook", "enable", "--org", org.ID, "--id", created.ID, "--json"), &enabled))
	require.Equal(t, "ENABLED", enabled.State)

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

	graphql(t, addr, key.Key, `mutation { createAccount(input: {name: "Acme Healthcare"}) { id } }`)
	got := next()
	require.Equal(t, "account.created", got.header.Get(webhook.HeaderEvent))
	require.NoError(t, webhook.VerifySignature(got.header.Get(webhook.HeaderSignature), got.body, created.Secret, webhook.DefaultTolerance, time.Now()))
	require.NotContains(t, serverLog.String(), created.Secret, "the server never logs a secret")

	var rotated endpoint
	require.NoError(t, json.Unmarshal(runCLI("webhook", "rotate-secret", "--org", org.ID, "--id", created.ID, "--overlap", "1h", "--json"), &rotated))
	require.True(t, strings.HasPrefix(rotated.Secret, "whsec_"))
	require.NotEqual(t, created.Secret, rotated.Secret)

	eventID := got.header.Get(webhook.HeaderEventID)
	runCLI("webhook", "redeliver", "--org", org.ID, "--event", eventID)
	again := next()
	require.Equal(t, eventID, again.header.Get(webhook.HeaderEventID))
	signature := again.header.Get(webhook.HeaderSignature)
	require.NoError(t, webhook.VerifySignature(signature, again.body, rotated.Secret, webhook.DefaultTolerance, time.Now()))
	require.NoError(t, webhook.VerifySignature(signature, again.body, created.Secret, webhook.DefaultTolerance, time.Now()))

	var attempts []struct {
		EventID   string
		Succeeded bool
	}
	// The server records the redelivery's attempt right after the receiver
	// responded, so the CLI may read the log a moment before it is there.
	require.Eventually(t, func() bool {
		attempts = nil
		_ = json.Unmarshal(runCLI("webhook", "attempts", "--org", org.ID, "--endpoint", created.ID, "--json"), &attempts)
		return len(attempts) == 2
	}, 30*time.Second, 20*time.Millisecond)
	for _, attempt := range attempts {
		require.Equal(t, eventID, attempt.EventID)
		require.True(t, attempt.Succeeded)
	}

	runCLI("webhook", "delete", "--org", org.ID, "--id", created.ID)
	require.Equal(t, "[]\n", string(runCLI("webhook", "list", "--org", org.ID, "--json")))
}
