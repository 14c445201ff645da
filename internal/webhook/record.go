package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/delivery"
	"github.com/breadbox/breadbox/ent/webhookendpoint"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/render"
)

// Envelope is the JSON body of every delivery, stored as the event's payload
// and signed byte for byte.
type Envelope struct {
	ID        string `json:"id"`
	Event     string `json:"event"`
	Timestamp string `json:"timestamp"`
	OrgID     string `json:"orgId"`
	Data      any    `json:"data"`
}

// hardDeletedJSON is the data of a hard-delete event.
type hardDeletedJSON struct {
	ID          string `json:"id"`
	HardDeleted bool   `json:"hardDeleted"`
}

// Row limits of one INSERT. A delivery binds at most 12 parameters and an
// event 8, so neither statement exceeds SQLite's limit of 32,766 bind
// parameters (PostgreSQL allows 65,535). A bulk write of 500 records makes
// at most 1,500 events, which fit in one statement.
const (
	eventBatch    = 3000
	deliveryBatch = 2500
)

// writeEvents renders the records of events as they are now, inserts the
// events and one PENDING delivery per ENABLED endpoint of the org subscribed to
// each event, through client. txPrincipal is the caller that opened the
// transaction, or nil. When it is a msp_test_ key, every event is a test
// event, including those of writes that rules make as the system on its
// behalf (the cascade of an account's hard delete).
func writeEvents(ctx context.Context, client *ent.Client, events []pendingEvent, txPrincipal *auth.Principal) error {
	events = coalesce(events)
	if len(events) == 0 {
		return nil
	}
	ctx = auth.SystemContext(ctx, "")

	data, err := renderResources(ctx, client, events)
	if err != nil {
		return err
	}
	endpoints, err := enabledEndpoints(ctx, client, events)
	if err != nil {
		return err
	}

	now := time.Now().UTC().Truncate(time.Millisecond)
	var eventRows []*ent.EventCreate
	var deliveryRows []*ent.DeliveryCreate
	for _, event := range events {
		if txPrincipal != nil {
			event.test = event.test || txPrincipal.Test
			if event.keyID == "" {
				event.keyID = txPrincipal.KeyID
			}
		}
		body, ok := data[resourceKey{event.kind, event.resourceID}]
		if event.hardDeleted {
			body, ok = hardDeletedJSON{ID: event.resourceID, HardDeleted: true}, true
		}
		if !ok {
			logDropped(ctx, event)
			continue
		}

		eventID := id.NewEventID(now)
		payload, err := json.Marshal(Envelope{
			ID:        eventID,
			Event:     event.name,
			Timestamp: render.FormatTime(now),
			OrgID:     event.orgID,
			Data:      body,
		})
		if err != nil {
			return fmt.Errorf("encoding event %s: %w", event.name, err)
		}
		create := client.Event.Create().
			SetID(eventID).
			SetOrgID(event.orgID).
			SetType(event.name).
			SetResourceID(event.resourceID).
			SetPayload(payload).
			SetTestMode(event.test).
			SetCreatedAt(now)
		if event.keyID != "" {
			create.SetKeyID(event.keyID)
		}
		eventRows = append(eventRows, create)

		if event.test {
			continue
		}
		for _, endpoint := range endpoints[event.orgID] {
			if subscribed(endpoint.Events, event.name) {
				deliveryRows = append(deliveryRows, newDelivery(client, event.orgID, eventID, endpoint.ID, now))
			}
		}
	}

	for batch := range slices.Chunk(eventRows, eventBatch) {
		if err := client.Event.CreateBulk(batch...).Exec(ctx); err != nil {
			return fmt.Errorf("inserting %d webhook events: %w", len(batch), err)
		}
	}
	for batch := range slices.Chunk(deliveryRows, deliveryBatch) {
		if err := client.Delivery.CreateBulk(batch...).Exec(ctx); err != nil {
			return fmt.Errorf("inserting %d webhook deliveries: %w", len(batch), err)
		}
	}
	return nil
}

// newDelivery returns the builder of a PENDING delivery that is due at once.
func newDelivery(client *ent.Client, orgID, eventID, endpointID string, now time.Time) *ent.DeliveryCreate {
	return client.Delivery.Create().
		SetOrgID(orgID).
		SetEventID(eventID).
		SetEndpointID(endpointID).
		SetState(delivery.StatePENDING).
		SetNextAttemptAt(now)
}

// coalesce drops repeats of an event about one record, and the updates of a
// record created in the same transaction, whose created event already
// carries the final state.
func coalesce(events []pendingEvent) []pendingEvent {
	type key struct {
		name       string
		resourceID string
	}
	seen := make(map[key]bool, len(events))
	created := make(map[string]bool)
	for _, event := range events {
		if event.name == event.kind.created() {
			created[event.resourceID] = true
		}
	}

	unique := events[:0:0]
	for _, event := range events {
		k := key{event.name, event.resourceID}
		if seen[k] || (event.name == event.kind.updated() && created[event.resourceID]) {
			continue
		}
		seen[k] = true
		unique = append(unique, event)
	}
	return unique
}

// enabledEndpoints loads the ENABLED endpoints of the orgs of the live events,
// by org.
func enabledEndpoints(ctx context.Context, client *ent.Client, events []pendingEvent) (map[string][]*ent.WebhookEndpoint, error) {
	var orgIDs []string
	for _, event := range events {
		if !event.test && !slices.Contains(orgIDs, event.orgID) {
			orgIDs = append(orgIDs, event.orgID)
		}
	}
	byOrg := make(map[string][]*ent.WebhookEndpoint, len(orgIDs))
	if len(orgIDs) == 0 {
		return byOrg, nil
	}

	endpoints, err := client.WebhookEndpoint.Query().
		Where(webhookendpoint.OrgIDIn(orgIDs...), webhookendpoint.StateEQ(webhookendpoint.StateENABLED)).
		Order(ent.Asc(webhookendpoint.FieldCreatedAt), ent.Asc(webhookendpoint.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the webhook endpoints: %w", err)
	}
	for _, endpoint := range endpoints {
		byOrg[endpoint.OrgID] = append(byOrg[endpoint.OrgID], endpoint)
	}
	return byOrg, nil
}
