package server_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

func TestWebhookEndpointMutations(t *testing.T) {
	b := setup(t)
	admin := b.key(t, b.orgA, auth.WebhooksWrite, auth.AdminRead)

	created := b.mustPost(t, admin, `mutation { createWebhookEndpoint(input: {url: "https://hooks.example.com/breadbox", events: ["deal.closed_won"]}) { secret endpoint { id url events state } } }`, nil)
	secret, _ := created.value(t, "createWebhookEndpoint", "secret").(string)
	require.True(t, strings.HasPrefix(secret, "whsec_"), "the secret is shown once, at creation")
	endpointID, _ := created.value(t, "createWebhookEndpoint", "endpoint", "id").(string)
	require.True(t, strings.HasPrefix(endpointID, "whe_"))

	listed := b.mustPost(t, admin, `{ webhookEndpoints { totalCount } }`, nil)
	require.EqualValues(t, 1, listed.value(t, "webhookEndpoints", "totalCount"))

	disabled := b.mustPost(t, admin, `mutation($id: ID!) { disableWebhookEndpoint(id: $id, reason: "maintenance") { state disabledReason } }`, map[string]any{"id": endpointID})
	require.Equal(t, "DISABLED", disabled.value(t, "disableWebhookEndpoint", "state"))

	rotated := b.mustPost(t, admin, `mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapSeconds: 60) { secret } }`, map[string]any{"id": endpointID})
	require.NotEqual(t, secret, rotated.value(t, "rotateWebhookSecret", "secret"))

	readOnly := b.key(t, b.orgA, auth.AdminRead)
	refused := b.post(t, readOnly, `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { deleted } }`, map[string]any{"id": endpointID})
	require.Equal(t, []string{"insufficient_scope"}, refused.codes(), "admin:read does not manage webhooks")

	otherOrg := b.key(t, b.orgB, auth.WebhooksWrite, auth.AdminRead)
	hidden := b.post(t, otherOrg, `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { deleted } }`, map[string]any{"id": endpointID})
	require.Equal(t, []string{"not_found"}, hidden.codes(), "another org's endpoint is not found")

	deleted := b.mustPost(t, admin, `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { deleted } }`, map[string]any{"id": endpointID})
	require.Equal(t, true, deleted.value(t, "deleteWebhookEndpoint", "deleted"))

	private := b.post(t, admin, `mutation { createWebhookEndpoint(input: {url: "https://169.254.169.254/latest", events: ["*"]}) { secret } }`, nil)
	require.Equal(t, []string{"validation_error"}, private.codes(), "a metadata address is refused")
}
