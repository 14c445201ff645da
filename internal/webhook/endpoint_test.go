package webhook_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/delivery"
	"github.com/breadbox/breadbox/ent/webhookendpoint"
	"github.com/breadbox/breadbox/internal/webhook"
)

func TestCreateEndpoint(t *testing.T) {
	t.Parallel()
	b := setup(t)
	description := "PSA sync"
	created, err := b.manager.Create(b.system, b.orgID, webhook.EndpointParams{
		URL:         "https://psa.example.test/breadbox",
		Events:      []string{webhook.DealClosedWon, webhook.DeviceOffline, webhook.DealClosedWon},
		Description: &description,
	})
	require.NoError(t, err)

	require.Regexp(t, regexp.MustCompile(`^whsec_[0-9A-Za-z]{32}$`), created.Secret)
	require.Regexp(t, `^whe_`, created.Endpoint.ID)
	require.Equal(t, []string{webhook.DealClosedWon, webhook.DeviceOffline}, created.Endpoint.Events)
	require.Equal(t, webhookendpoint.StateENABLED, created.Endpoint.State)
	require.NotContains(t, string(created.Endpoint.SecretCiphertext), created.Secret, "the secret is stored encrypted")
	opened, err := b.secrets.Open(created.Endpoint.SecretCiphertext)
	require.NoError(t, err)
	require.Equal(t, created.Secret, opened)

	listed, err := b.manager.List(b.system, b.orgID)
	require.NoError(t, err)
	require.Len(t, listed, 1)
	require.Equal(t, created.Endpoint.ID, listed[0].ID)
}

func TestCreateEndpointValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	strict := webhook.NewManager(b.client, webhook.ManagerConfig{Secrets: b.secrets})

	cases := map[string]struct {
		url     string
		events  []string
		message string
	}{
		"plain http":          {"http://psa.example.test/hook", []string{"*"}, "must use https"},
		"other scheme":        {"ftp://psa.example.test/hook", []string{"*"}, "absolute https URL"},
		"no host":             {"https:///hook", []string{"*"}, "has no host"},
		"credentials":         {"https://user:pass@psa.example.test/hook", []string{"*"}, "credentials"},
		"loopback literal":    {"https://127.0.0.1/hook", []string{"*"}, "loopback"},
		"metadata literal":    {"https://169.254.169.254/latest", []string{"*"}, "link-local"},
		"localhost":           {"https://localhost:8443/hook", []string{"*"}, "localhost"},
		"unknown event":       {"https://psa.example.test/hook", []string{"deal.updated"}, `"deal.updated" is not an event name`},
		"star with names":     {"https://psa.example.test/hook", []string{"*", "deal.closed_won"}, "cannot be combined"},
		"no events":           {"https://psa.example.test/hook", nil, "the list is empty"},
		"missing url":         {"", []string{"*"}, "is required"},
		"private ipv6 mapped": {"https://[::ffff:10.0.0.1]/hook", []string{"*"}, "private"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := strict.Create(b.system, b.orgID, webhook.EndpointParams{URL: tc.url, Events: tc.events})
			require.ErrorContains(t, err, tc.message)
		})
	}

	_, err := strict.Create(b.system, "org_missing", webhook.EndpointParams{URL: "https://psa.example.test/hook", Events: []string{"*"}})
	require.ErrorContains(t, err, "not found")
}

func TestUpdateDisableEnableDeleteEndpoint(t *testing.T) {
	t.Parallel()
	b := setup(t)
	created := b.endpoint(t, "https://old.example.test/hook", webhook.AllEvents)
	endpointID := created.Endpoint.ID

	url, description := "https://new.example.test/hook", "moved"
	updated, err := b.manager.Update(b.system, b.orgID, endpointID, webhook.EndpointUpdate{
		URL: &url, Events: []string{webhook.AccountCreated}, Description: &description,
	})
	require.NoError(t, err)
	require.Equal(t, url, updated.URL)
	require.Equal(t, []string{webhook.AccountCreated}, updated.Events)
	require.Equal(t, description, *updated.Description)

	disabled, err := b.manager.Disable(b.system, b.orgID, endpointID, "receiver under maintenance")
	require.NoError(t, err)
	require.Equal(t, webhookendpoint.StateDISABLED, disabled.State)
	require.Equal(t, "receiver under maintenance", *disabled.DisabledReason)

	require.NoError(t, b.client.WebhookEndpoint.UpdateOneID(endpointID).SetConsecutiveFailures(3).Exec(b.system))
	enabled, err := b.manager.Enable(b.system, b.orgID, endpointID)
	require.NoError(t, err)
	require.Equal(t, webhookendpoint.StateENABLED, enabled.State)
	require.Zero(t, enabled.ConsecutiveFailures)
	require.Nil(t, enabled.DisabledReason)

	// Deleting removes the endpoint and its deliveries, not the events.
	b.createAccount(t, "Before delete")
	require.Len(t, b.deliveries(t), 1)
	require.NoError(t, b.manager.Delete(b.system, b.orgID, endpointID))
	require.Empty(t, b.deliveries(t))
	require.Len(t, b.events(t), 1)
	_, err = b.manager.Get(b.system, b.orgID, endpointID)
	require.ErrorContains(t, err, "not found")
}

func TestEndpointOfAnotherOrgIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := setupOn(t, b.db)
	created := other.endpoint(t, "https://other.example.test/hook", webhook.AllEvents)

	_, err := b.manager.Disable(b.system, b.orgID, created.Endpoint.ID, "")
	require.ErrorContains(t, err, "not found")
	require.ErrorContains(t, b.manager.Delete(b.system, b.orgID, created.Endpoint.ID), "not found")
	_, err = b.manager.RotateSecret(b.system, b.orgID, created.Endpoint.ID, time.Hour)
	require.ErrorContains(t, err, "not found")
}

func TestTestEventIsNotRedelivered(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.endpoint(t, "https://psa.example.test/hook", webhook.AllEvents)
	_, err := b.client.Account.Create().SetName("Sandbox").Save(keyContext(b.system, b.orgID, true))
	require.NoError(t, err)
	events := b.events(t)
	require.Len(t, events, 1)

	_, err = b.manager.Redeliver(b.system, b.orgID, events[0].ID)
	require.ErrorContains(t, err, "never delivered")
	require.Empty(t, b.deliveries(t))
}

func TestRedeliverSkipsPendingDelivery(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.endpoint(t, "https://psa.example.test/hook", webhook.AllEvents)
	b.createAccount(t, "Queued")
	events := b.events(t)
	require.Len(t, events, 1)

	scheduled, err := b.manager.Redeliver(b.system, b.orgID, events[0].ID)
	require.NoError(t, err)
	require.Empty(t, scheduled, "the event still has a PENDING delivery")
	require.Len(t, b.deliveries(t), 1)
	require.Equal(t, delivery.StatePENDING, b.deliveries(t)[0].State)
}

func TestSecretBoxWithoutKey(t *testing.T) {
	t.Parallel()
	box, err := webhook.LoadSecretBox("", "postgres://postgres@db.example.test/breadbox")
	require.NoError(t, err)
	_, err = box.Seal("whsec_x")
	require.ErrorIs(t, err, webhook.ErrNoSecretKey)
	require.ErrorContains(t, err, "BREADBOX_SECRET_KEY")

	b := setup(t)
	keyless := webhook.NewManager(b.client, webhook.ManagerConfig{Secrets: box})
	_, err = keyless.Create(b.system, b.orgID, webhook.EndpointParams{URL: "https://psa.example.test/hook", Events: []string{"*"}})
	require.ErrorContains(t, err, "BREADBOX_SECRET_KEY")
}

func TestSecretKeyFileBesideSQLiteDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	databaseURL := "sqlite:" + filepath.Join(dir, "breadbox.db")

	first, err := webhook.LoadSecretBox("", databaseURL)
	require.NoError(t, err)
	keyFile := filepath.Join(dir, "breadbox.key")
	info, err := os.Stat(keyFile)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	sealed, err := first.Seal("whsec_reused")
	require.NoError(t, err)
	second, err := webhook.LoadSecretBox("", databaseURL)
	require.NoError(t, err)
	opened, err := second.Open(sealed)
	require.NoError(t, err, "the key file must be reused, not replaced")
	require.Equal(t, "whsec_reused", opened)

	// BREADBOX_SECRET_KEY takes precedence over the file.
	explicit, err := webhook.LoadSecretBox("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", databaseURL)
	require.NoError(t, err)
	_, err = explicit.Open(sealed)
	require.ErrorContains(t, err, "BREADBOX_SECRET_KEY")

	_, err = webhook.LoadSecretBox("not-hex", databaseURL)
	require.ErrorContains(t, err, "BREADBOX_SECRET_KEY")
}

func TestNormalizeEvents(t *testing.T) {
	t.Parallel()
	events, err := webhook.NormalizeEvents([]string{" * "})
	require.NoError(t, err)
	require.Equal(t, []string{"*"}, events)

	for _, name := range webhook.Events {
		events, err := webhook.NormalizeEvents([]string{name})
		require.NoError(t, err, name)
		require.Equal(t, []string{name}, events)
	}
}
