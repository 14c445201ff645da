// Package graph is the operation layer of Breadbox: the gqlgen resolvers that
// execute every read and write. The GraphQL server at /graphql calls them, and
// the REST handlers of /api/v1 call the same methods.
package graph

import (
	"context"
	"strings"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/webhook"
)

// Resolver is the root resolver. It holds the base ent client; a request that
// writes runs in a transaction whose client travels in its context instead.
type Resolver struct {
	Client *ent.Client
	// Webhooks configures the webhook endpoint mutations; a manager is built
	// per request over the request's client, so it joins the transaction.
	Webhooks webhook.ManagerConfig
}

// NewResolver returns the root resolver over the client.
func NewResolver(client *ent.Client) *Resolver {
	return &Resolver{Client: client}
}

// client returns the ent client of the request: its transaction's client when
// one is open, the base client otherwise.
func (r *Resolver) client(ctx context.Context) *ent.Client {
	return database.Client(ctx, r.Client)
}

// EntClient returns the ent client the resolvers use for the request: its
// transaction's client when one is open, the base client otherwise. The REST
// lists read through it where entgql's cursors cannot express their contract
// (nullable sort fields).
func (r *Resolver) EntClient(ctx context.Context) *ent.Client {
	return r.client(ctx)
}

// Page sizes of connections: the default when neither first nor last is given,
// and the maximum either may ask for.
const (
	DefaultPageSize = 50
	MaxPageSize     = 100
)

func defaultPageSize(first, last *int) *int {
	if first == nil && last == nil {
		size := DefaultPageSize
		return &size
	}
	return first
}

// nodeTables maps each ID prefix to the table of its entity, so node(id:)
// resolves the type from the ID without probing every table.
var nodeTables = map[string]string{
	id.Org:               "orgs",
	id.User:              "users",
	id.Account:           "accounts",
	id.Site:              "sites",
	id.Contact:           "contacts",
	id.AccountContact:    "account_contacts",
	id.Deal:              "deals",
	id.DealContact:       "deal_contacts",
	id.PipelineStage:     "pipeline_stages",
	id.Contract:          "contracts",
	id.ServiceLine:       "service_lines",
	id.Device:            "devices",
	id.Task:              "tasks",
	id.Note:              "notes",
	id.Touchpoint:        "touchpoints",
	id.Lead:              "leads",
	id.ComplianceItem:    "compliance_items",
	id.HealthSignal:      "health_signals",
	id.ChurnRiskSnapshot: "churn_risk_snapshots",
	id.AuditEntry:        "audit_entries",
	id.WebhookEndpoint:   "webhook_endpoints",
	id.Delivery:          "deliveries",
	id.DeliveryAttempt:   "delivery_attempts",
	"evt":                "events",
}

// nodeType resolves the table of an ID from its prefix. An unknown prefix is
// not found, exactly like a missing record.
func nodeType(_ context.Context, value string) (string, error) {
	table, ok := nodeTables[id.Prefix(value)]
	if !ok || strings.TrimSpace(value) != value {
		return "", apierr.NotFoundf("no record has the ID %q", value)
	}
	return table, nil
}
