package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/delivery"
	"github.com/breadbox/breadbox/ent/deliveryattempt"
	"github.com/breadbox/breadbox/ent/event"
	"github.com/breadbox/breadbox/ent/webhookendpoint"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
)

// DefaultOverlap is how long the previous secret keeps signing after a
// rotation, unless the caller names another overlap.
const DefaultOverlap = 24 * time.Hour

// maxURLLength matches the url column of webhook endpoints.
const maxURLLength = 2048

// ManagerConfig configures a Manager.
type ManagerConfig struct {
	// Secrets encrypts the signing secrets; creating or rotating fails with
	// ErrNoSecretKey when it has no key.
	Secrets *SecretBox
	// AllowHTTP accepts plain http URLs (BREADBOX_WEBHOOK_ALLOW_HTTP).
	AllowHTTP bool
	// AllowPrivate accepts URLs whose host is a loopback or private IP
	// literal (BREADBOX_WEBHOOK_ALLOW_PRIVATE). Host names are checked when
	// the worker connects.
	AllowPrivate bool
}

// Manager creates, changes and deletes the webhook endpoints of orgs and
// schedules redeliveries. Every method acts as the system inside the org it
// is given.
type Manager struct {
	client *ent.Client
	config ManagerConfig
}

// NewManager returns a manager over client.
func NewManager(client *ent.Client, config ManagerConfig) *Manager {
	return &Manager{client: client, config: config}
}

// EndpointParams describes a new endpoint.
type EndpointParams struct {
	URL string
	// Events are event names, or ["*"] for every event.
	Events      []string
	Description *string
}

// EndpointUpdate changes an endpoint; nil fields stay as they are.
type EndpointUpdate struct {
	URL         *string
	Events      []string
	Description *string
}

// EndpointWithSecret is an endpoint with its signing secret in clear, returned
// once by Create and RotateSecret.
type EndpointWithSecret struct {
	Endpoint *ent.WebhookEndpoint
	Secret   string
}

// Create adds an endpoint to the org with a fresh signing secret.
func (m *Manager) Create(ctx context.Context, orgID string, params EndpointParams) (*EndpointWithSecret, error) {
	ctx = auth.SystemContext(ctx, orgID)
	target, err := m.checkURL(params.URL)
	if err != nil {
		return nil, err
	}
	events, err := NormalizeEvents(params.Events)
	if err != nil {
		return nil, apierr.Invalid("events", "%s", strings.TrimPrefix(err.Error(), "events: "))
	}
	if err := m.checkOrg(ctx, orgID); err != nil {
		return nil, err
	}
	secret, sealed, err := m.newSecret()
	if err != nil {
		return nil, err
	}

	created, err := m.client.WebhookEndpoint.Create().
		SetOrgID(orgID).
		SetURL(target).
		SetEvents(events).
		SetNillableDescription(params.Description).
		SetSecretCiphertext(sealed).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating the webhook endpoint: %w", err)
	}
	return &EndpointWithSecret{Endpoint: created, Secret: secret}, nil
}

// List returns the org's endpoints, oldest first.
func (m *Manager) List(ctx context.Context, orgID string) ([]*ent.WebhookEndpoint, error) {
	ctx = auth.SystemContext(ctx, orgID)
	endpoints, err := m.client.WebhookEndpoint.Query().
		Where(webhookendpoint.OrgID(orgID)).
		Order(ent.Asc(webhookendpoint.FieldCreatedAt), ent.Asc(webhookendpoint.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing the webhook endpoints: %w", err)
	}
	return endpoints, nil
}

// Get returns one endpoint of the org.
func (m *Manager) Get(ctx context.Context, orgID, endpointID string) (*ent.WebhookEndpoint, error) {
	endpoint, err := m.client.WebhookEndpoint.Query().
		Where(webhookendpoint.ID(endpointID), webhookendpoint.OrgID(orgID)).
		Only(auth.SystemContext(ctx, orgID))
	if ent.IsNotFound(err) {
		return nil, apierr.NotFoundf("webhook endpoint %s was not found in org %s", endpointID, orgID)
	}
	if err != nil {
		return nil, fmt.Errorf("loading webhook endpoint %s: %w", endpointID, err)
	}
	return endpoint, nil
}

// Update changes an endpoint's URL, events or description.
func (m *Manager) Update(ctx context.Context, orgID, endpointID string, update EndpointUpdate) (*ent.WebhookEndpoint, error) {
	endpoint, err := m.Get(ctx, orgID, endpointID)
	if err != nil {
		return nil, err
	}
	builder := endpoint.Update()
	if update.URL != nil {
		target, err := m.checkURL(*update.URL)
		if err != nil {
			return nil, err
		}
		builder.SetURL(target)
	}
	if update.Events != nil {
		events, err := NormalizeEvents(update.Events)
		if err != nil {
			return nil, apierr.Invalid("events", "%s", strings.TrimPrefix(err.Error(), "events: "))
		}
		builder.SetEvents(events)
	}
	if update.Description != nil {
		if *update.Description == "" {
			builder.ClearDescription()
		} else {
			builder.SetDescription(*update.Description)
		}
	}
	updated, err := builder.Save(auth.SystemContext(ctx, orgID))
	if err != nil {
		return nil, fmt.Errorf("updating webhook endpoint %s: %w", endpointID, err)
	}
	return updated, nil
}

// Disable stops deliveries to an endpoint and records why. Its pending
// deliveries wait until it is enabled again.
func (m *Manager) Disable(ctx context.Context, orgID, endpointID, reason string) (*ent.WebhookEndpoint, error) {
	endpoint, err := m.Get(ctx, orgID, endpointID)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(reason) == "" {
		reason = "disabled by an administrator"
	}
	updated, err := endpoint.Update().
		SetState(webhookendpoint.StateDISABLED).
		SetDisabledReason(truncate(reason, 1024)).
		Save(auth.SystemContext(ctx, orgID))
	if err != nil {
		return nil, fmt.Errorf("disabling webhook endpoint %s: %w", endpointID, err)
	}
	return updated, nil
}

// Enable resumes deliveries to an endpoint, clears its disabled reason and
// resets its failure count.
func (m *Manager) Enable(ctx context.Context, orgID, endpointID string) (*ent.WebhookEndpoint, error) {
	endpoint, err := m.Get(ctx, orgID, endpointID)
	if err != nil {
		return nil, err
	}
	updated, err := endpoint.Update().
		SetState(webhookendpoint.StateENABLED).
		ClearDisabledReason().
		SetConsecutiveFailures(0).
		Save(auth.SystemContext(ctx, orgID))
	if err != nil {
		return nil, fmt.Errorf("enabling webhook endpoint %s: %w", endpointID, err)
	}
	wakeWorkers()
	return updated, nil
}

// RotateSecret gives an endpoint a new signing secret. The previous secret
// keeps signing beside the new one for overlap (the CLI's default is
// DefaultOverlap), so receivers can switch without losing deliveries. An
// overlap of zero retires the previous secret at once, and a negative one is
// invalid.
func (m *Manager) RotateSecret(ctx context.Context, orgID, endpointID string, overlap time.Duration) (*EndpointWithSecret, error) {
	if overlap < 0 {
		return nil, apierr.Invalid("overlap", "must be zero or positive, got %s", overlap)
	}
	endpoint, err := m.Get(ctx, orgID, endpointID)
	if err != nil {
		return nil, err
	}
	secret, sealed, err := m.newSecret()
	if err != nil {
		return nil, err
	}

	builder := endpoint.Update().SetSecretCiphertext(sealed)
	if overlap > 0 {
		builder.
			SetPreviousSecretCiphertext(endpoint.SecretCiphertext).
			SetPreviousSecretExpiresAt(time.Now().Add(overlap).UTC().Truncate(time.Millisecond))
	} else {
		builder.ClearPreviousSecretCiphertext().ClearPreviousSecretExpiresAt()
	}
	updated, err := builder.Save(auth.SystemContext(ctx, orgID))
	if err != nil {
		return nil, fmt.Errorf("rotating the secret of webhook endpoint %s: %w", endpointID, err)
	}
	return &EndpointWithSecret{Endpoint: updated, Secret: secret}, nil
}

// Delete removes an endpoint with its deliveries and their attempt log. The
// events stay.
func (m *Manager) Delete(ctx context.Context, orgID, endpointID string) error {
	if _, err := m.Get(ctx, orgID, endpointID); err != nil {
		return err
	}
	return withTx(auth.SystemContext(ctx, orgID), m.client, func(ctx context.Context, tx *ent.Client) error {
		if _, err := tx.DeliveryAttempt.Delete().
			Where(deliveryattempt.HasDeliveryWith(delivery.EndpointID(endpointID))).
			Exec(ctx); err != nil {
			return fmt.Errorf("deleting the endpoint's delivery attempts: %w", err)
		}
		if _, err := tx.Delivery.Delete().Where(delivery.EndpointID(endpointID)).Exec(ctx); err != nil {
			return fmt.Errorf("deleting the endpoint's deliveries: %w", err)
		}
		if err := tx.WebhookEndpoint.DeleteOneID(endpointID).Exec(ctx); err != nil {
			return fmt.Errorf("deleting webhook endpoint %s: %w", endpointID, err)
		}
		return nil
	})
}

// Redeliver schedules one event again: a new PENDING delivery to every
// endpoint it was delivered to, or, when it never had a delivery, to every
// ENABLED endpoint of the org subscribed to it now. An endpoint that already
// has a PENDING delivery of the event is skipped. Events of msp_test_ keys
// are never delivered.
func (m *Manager) Redeliver(ctx context.Context, orgID, eventID string) ([]*ent.Delivery, error) {
	ctx = auth.SystemContext(ctx, orgID)
	found, err := m.client.Event.Query().Where(event.ID(eventID), event.OrgID(orgID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, apierr.NotFoundf("event %s was not found in org %s", eventID, orgID)
	}
	if err != nil {
		return nil, fmt.Errorf("loading event %s: %w", eventID, err)
	}
	if found.TestMode {
		return nil, apierr.Invalid("event", "%s was caused by a msp_test_ key; events of test keys are recorded but never delivered", eventID)
	}

	var endpointIDs []string
	err = m.client.Delivery.Query().
		Where(delivery.EventID(eventID)).
		Unique(true).
		Select(delivery.FieldEndpointID).
		Scan(ctx, &endpointIDs)
	if err != nil {
		return nil, fmt.Errorf("listing the endpoints of event %s: %w", eventID, err)
	}
	if len(endpointIDs) == 0 {
		endpoints, err := enabledEndpoints(ctx, m.client, []pendingEvent{{orgID: orgID}})
		if err != nil {
			return nil, err
		}
		for _, endpoint := range endpoints[orgID] {
			if subscribed(endpoint.Events, found.Type) {
				endpointIDs = append(endpointIDs, endpoint.ID)
			}
		}
	}
	return m.schedule(ctx, orgID, []string{eventID}, endpointIDs)
}

// RedeliverFailed schedules again every event of the endpoint created at or
// after since whose delivery failed, unless it has since been delivered or is
// pending again.
func (m *Manager) RedeliverFailed(ctx context.Context, orgID, endpointID string, since time.Time) ([]*ent.Delivery, error) {
	ctx = auth.SystemContext(ctx, orgID)
	if _, err := m.Get(ctx, orgID, endpointID); err != nil {
		return nil, err
	}
	var eventIDs []string
	err := m.client.Delivery.Query().
		Where(
			delivery.EndpointID(endpointID),
			delivery.StateEQ(delivery.StateFAILED),
			delivery.HasEventWith(event.CreatedAtGTE(since)),
		).
		Unique(true).
		Select(delivery.FieldEventID).
		Scan(ctx, &eventIDs)
	if err != nil {
		return nil, fmt.Errorf("listing the failed deliveries of endpoint %s: %w", endpointID, err)
	}
	if len(eventIDs) == 0 {
		return nil, nil
	}

	var settled []string
	err = m.client.Delivery.Query().
		Where(
			delivery.EndpointID(endpointID),
			delivery.EventIDIn(eventIDs...),
			delivery.StateEQ(delivery.StateSUCCEEDED),
		).
		Unique(true).
		Select(delivery.FieldEventID).
		Scan(ctx, &settled)
	if err != nil {
		return nil, fmt.Errorf("listing the delivered events of endpoint %s: %w", endpointID, err)
	}
	var failed []string
	for _, eventID := range eventIDs {
		if !slices.Contains(settled, eventID) {
			failed = append(failed, eventID)
		}
	}
	return m.schedule(ctx, orgID, failed, []string{endpointID})
}

// Attempts returns the latest delivery attempts to an endpoint, newest
// first, at most limit (100 when limit is not positive).
func (m *Manager) Attempts(ctx context.Context, orgID, endpointID string, limit int) ([]*ent.DeliveryAttempt, error) {
	if _, err := m.Get(ctx, orgID, endpointID); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	attempts, err := m.client.DeliveryAttempt.Query().
		Where(deliveryattempt.HasDeliveryWith(delivery.EndpointID(endpointID))).
		Order(ent.Desc(deliveryattempt.FieldCreatedAt), ent.Desc(deliveryattempt.FieldID)).
		Limit(limit).
		WithDelivery().
		All(auth.SystemContext(ctx, orgID))
	if err != nil {
		return nil, fmt.Errorf("listing the attempts of endpoint %s: %w", endpointID, err)
	}
	return attempts, nil
}

// schedule creates a PENDING delivery, due now, for every pair of event and
// endpoint that has none pending yet.
func (m *Manager) schedule(ctx context.Context, orgID string, eventIDs, endpointIDs []string) ([]*ent.Delivery, error) {
	if len(eventIDs) == 0 || len(endpointIDs) == 0 {
		return nil, nil
	}
	var scheduled []*ent.Delivery
	err := withTx(ctx, m.client, func(ctx context.Context, tx *ent.Client) error {
		pending, err := tx.Delivery.Query().
			Where(
				delivery.EventIDIn(eventIDs...),
				delivery.EndpointIDIn(endpointIDs...),
				delivery.StateEQ(delivery.StatePENDING),
			).
			All(ctx)
		if err != nil {
			return fmt.Errorf("listing the pending deliveries: %w", err)
		}
		queued := make(map[[2]string]bool, len(pending))
		for _, row := range pending {
			queued[[2]string{row.EventID, row.EndpointID}] = true
		}

		now := time.Now().UTC().Truncate(time.Millisecond)
		var builders []*ent.DeliveryCreate
		for _, eventID := range eventIDs {
			for _, endpointID := range endpointIDs {
				if !queued[[2]string{eventID, endpointID}] {
					builders = append(builders, newDelivery(tx, orgID, eventID, endpointID, now))
				}
			}
		}
		for batch := range slices.Chunk(builders, deliveryBatch) {
			rows, err := tx.Delivery.CreateBulk(batch...).Save(ctx)
			if err != nil {
				return fmt.Errorf("scheduling %d deliveries: %w", len(batch), err)
			}
			scheduled = append(scheduled, rows...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(scheduled) > 0 {
		wakeWorkers()
	}
	return scheduled, nil
}

// checkURL validates an endpoint URL: absolute, https (or http when
// allowed), with a host, no credentials, and, unless private targets are
// allowed, not an IP literal or localhost that the worker would refuse.
func (m *Manager) checkURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", apierr.Invalid("url", "is required")
	}
	if len(raw) > maxURLLength {
		return "", apierr.Invalid("url", "is longer than %d characters", maxURLLength)
	}
	parsed, err := url.Parse(raw)
	if err != nil {
		return "", apierr.Invalid("url", "%q is not a valid URL", raw)
	}
	switch {
	case parsed.Scheme == "https":
	case parsed.Scheme == "http" && m.config.AllowHTTP:
	case parsed.Scheme == "http":
		return "", apierr.Invalid("url", "must use https; plain http is allowed only when BREADBOX_WEBHOOK_ALLOW_HTTP=true")
	default:
		return "", apierr.Invalid("url", "must be an absolute https URL, got %q", raw)
	}
	if parsed.Hostname() == "" {
		return "", apierr.Invalid("url", "has no host: %q", raw)
	}
	if parsed.User != nil {
		return "", apierr.Invalid("url", "must not contain credentials; receivers authenticate deliveries by their signature")
	}
	if !m.config.AllowPrivate {
		host := parsed.Hostname()
		if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
			return "", apierr.Invalid("url", "points at localhost, which endpoints may not reach unless BREADBOX_WEBHOOK_ALLOW_PRIVATE=true")
		}
		if addr, err := netip.ParseAddr(host); err == nil {
			if reason := BlockedReason(addr); reason != "" {
				return "", apierr.Invalid("url", "points at %s, a %s address, which endpoints may not reach unless BREADBOX_WEBHOOK_ALLOW_PRIVATE=true", addr, reason)
			}
		}
	}
	return parsed.String(), nil
}

func (m *Manager) checkOrg(ctx context.Context, orgID string) error {
	exists, err := m.client.Org.Get(ctx, orgID)
	if ent.IsNotFound(err) || (err == nil && exists == nil) {
		return apierr.NotFoundf("org %s was not found", orgID)
	}
	if err != nil {
		return fmt.Errorf("loading org %s: %w", orgID, err)
	}
	return nil
}

func (m *Manager) newSecret() (string, []byte, error) {
	secret, err := NewSecret()
	if err != nil {
		return "", nil, err
	}
	sealed, err := m.config.Secrets.Seal(secret)
	if err != nil {
		return "", nil, err
	}
	return secret, sealed, nil
}

// withTx runs fn in a transaction, or in the one ctx already carries.
func withTx(ctx context.Context, client *ent.Client, fn func(ctx context.Context, tx *ent.Client) error) error {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return fn(ctx, tx.Client())
	}
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("beginning a transaction: %w", err)
	}
	if err := fn(ent.NewTxContext(ctx, tx), tx.Client()); err != nil {
		return errors.Join(err, rollbackError(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing the transaction: %w", err)
	}
	return nil
}

func rollbackError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("rolling back: %w", err)
}

// truncate cuts text to at most limit bytes on a UTF-8 boundary.
func truncate(text string, limit int) string {
	if len(text) <= limit {
		return text
	}
	// A rune cut in half at the limit becomes invalid UTF-8 and is dropped.
	return strings.ToValidUTF8(text[:limit], "")
}
