package webhook_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/delivery"
	"github.com/breadbox/breadbox/ent/deliveryattempt"
	"github.com/breadbox/breadbox/ent/event"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/webhook"
)

func TestPruneDeletesOldFinishedEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	endpoint := b.endpoint(t, "https://hooks.acme.example/breadbox", "*")
	system := auth.WithPrincipal(context.Background(), &auth.Principal{System: true})
	now := time.Now().UTC().Truncate(time.Millisecond)

	// record stores an event created at the time with one delivery in the
	// state, and one attempt when the delivery ended.
	record := func(createdAt time.Time, state delivery.State) string {
		recorded := b.client.Event.Create().
			SetOrgID(b.orgID).SetType("account.created").SetResourceID("acc_01JD0000000000000000000000").
			SetPayload([]byte(`{}`)).SetCreatedAt(createdAt).
			SaveX(system)
		sent := b.client.Delivery.Create().
			SetOrgID(b.orgID).SetEventID(recorded.ID).SetEndpointID(endpoint.Endpoint.ID).
			SetState(state).SetNextAttemptAt(createdAt).
			SaveX(system)
		if state != delivery.StatePENDING {
			b.client.DeliveryAttempt.Create().
				SetOrgID(b.orgID).SetDeliveryID(sent.ID).SetNumber(1).SetLatencyMs(12).SetSucceeded(state == delivery.StateSUCCEEDED).
				ExecX(system)
		}
		return recorded.ID
	}
	oldSucceeded := record(now.Add(-31*24*time.Hour), delivery.StateSUCCEEDED)
	oldFailed := record(now.Add(-40*24*time.Hour), delivery.StateFAILED)
	oldPending := record(now.Add(-31*24*time.Hour), delivery.StatePENDING)
	recent := record(now.Add(-29*24*time.Hour), delivery.StateSUCCEEDED)

	pruned, err := webhook.Prune(context.Background(), b.client, now.Add(-webhook.EventRetention))
	require.NoError(t, err)
	require.Equal(t, 2, pruned)

	left, err := b.client.Event.Query().Order(event.ByCreatedAt()).IDs(system)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{oldPending, recent}, left, "a pending delivery keeps its event")
	require.NotContains(t, left, oldSucceeded)
	require.NotContains(t, left, oldFailed)

	deliveries, err := b.client.Delivery.Query().Count(system)
	require.NoError(t, err)
	require.Equal(t, 2, deliveries)
	attempts, err := b.client.DeliveryAttempt.Query().Where(deliveryattempt.HasDeliveryWith(delivery.EventIDIn(oldSucceeded, oldFailed))).Count(system)
	require.NoError(t, err)
	require.Zero(t, attempts)
	attempts, err = b.client.DeliveryAttempt.Query().Count(system)
	require.NoError(t, err)
	require.Equal(t, 1, attempts, "the recent event's attempt stays")
}
