package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/internal/bulk"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/render"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/webhook"
)

var (
	eventIDPattern   = regexp.MustCompile(`^evt_\d{10}_[0-9a-f]{8}$`)
	timestampPattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
)

// renderedJSON decodes the JSON of a rendering, to compare it with a
// delivery's data.
func renderedJSON(t *testing.T, rendered any) map[string]any {
	t.Helper()
	encoded, err := json.Marshal(rendered)
	require.NoError(t, err)
	var decoded map[string]any
	require.NoError(t, json.Unmarshal(encoded, &decoded))
	return decoded
}

// checkEnvelope checks the envelope and headers of a delivery of one event.
func checkEnvelope(t *testing.T, b *bundle, got request, name string) {
	t.Helper()
	envelope := got.envelope(t)
	require.Equal(t, name, envelope["event"])
	require.Equal(t, b.orgID, envelope["orgId"])
	require.Regexp(t, eventIDPattern, envelope["id"])
	require.Regexp(t, timestampPattern, envelope["timestamp"])
	require.Equal(t, name, got.header.Get(webhook.HeaderEvent))
	require.Equal(t, envelope["id"], got.header.Get(webhook.HeaderEventID))
	require.Equal(t, "application/json", got.header.Get("Content-Type"))
	require.Equal(t, "Breadbox-Webhooks/1.1", got.header.Get("User-Agent"))
}

func TestAccountEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	b.endpoint(t, hooks.URL(), webhook.AllEvents)
	b.startWorker(t, b.client)

	var created *ent.Account
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		var err error
		created, err = tx.Account.Create().SetName("Contoso Dental").SetIndustry("Healthcare").Save(ctx)
		return err
	})
	got := hooks.collect(t, webhook.AccountCreated)[webhook.AccountCreated]
	checkEnvelope(t, b, got, webhook.AccountCreated)
	stored, err := b.client.Account.Get(b.system, created.ID)
	require.NoError(t, err)
	require.Equal(t, renderedJSON(t, render.Account(stored)), got.data(t), "data must equal what GET returns")

	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Account.UpdateOneID(created.ID).SetName("Contoso Dental Group").Exec(ctx)
	})
	got = hooks.collect(t, webhook.AccountUpdated)[webhook.AccountUpdated]
	checkEnvelope(t, b, got, webhook.AccountUpdated)
	require.Equal(t, "Contoso Dental Group", got.data(t)["name"])

	// Setting the values the account already has changes nothing.
	before := b.eventCount(t)
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Account.UpdateOneID(created.ID).SetName("Contoso Dental Group").SetIndustry("Healthcare").Exec(ctx)
	})
	require.Equal(t, before, b.eventCount(t), "a no-op update must record no event")

	// The soft delete moves the lifecycle to CHURNED and fires
	// account.deleted instead of account.updated.
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Account.UpdateOneID(created.ID).SetLifecycleStatus(account.LifecycleStatusCHURNED).Exec(ctx)
	})
	got = hooks.collect(t, webhook.AccountDeleted)[webhook.AccountDeleted]
	checkEnvelope(t, b, got, webhook.AccountDeleted)
	require.Equal(t, "CHURNED", got.data(t)["lifecycleStatus"])
	require.Equal(t, created.ID, got.data(t)["id"])

	// The hard delete fires account.deleted with hardDeleted, and the
	// account's devices and tasks go with it.
	var doomed *ent.Account
	var doomedDevice *ent.Device
	var doomedTask *ent.Task
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		var err error
		if doomed, err = tx.Account.Create().SetName("Fabrikam").Save(ctx); err != nil {
			return err
		}
		if doomedDevice, err = tx.Device.Create().SetAccountID(doomed.ID).SetHostname("FAB-DC01").Save(ctx); err != nil {
			return err
		}
		doomedTask, err = tx.Task.Create().SetTitle("Renew licences").SetAccountID(doomed.ID).Save(ctx)
		return err
	})
	hooks.collect(t, webhook.AccountCreated, webhook.DeviceCreated)

	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		return rules.HardDeleteAccount(ctx, tx, doomed.ID)
	})
	deleted := hooks.collect(t, webhook.AccountDeleted, webhook.DeviceDeleted, webhook.TaskDeleted)
	require.Equal(t, map[string]any{"id": doomed.ID, "hardDeleted": true}, deleted[webhook.AccountDeleted].data(t))
	require.Equal(t, map[string]any{"id": doomedDevice.ID, "hardDeleted": true}, deleted[webhook.DeviceDeleted].data(t))
	require.Equal(t, map[string]any{"id": doomedTask.ID, "hardDeleted": true}, deleted[webhook.TaskDeleted].data(t))
	hooks.empty(t)
}

func TestContactEventsCarryAccountLinks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	b.endpoint(t, hooks.URL(), webhook.ContactCreated, webhook.ContactUpdated)
	b.startWorker(t, b.client)

	var contactID, accountID string
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		acme, err := tx.Account.Create().SetName("Acme").Save(ctx)
		if err != nil {
			return err
		}
		person, err := tx.Contact.Create().SetFirstName("Ana").SetLastName("Silva").SetEmail("ana@acme.test").Save(ctx)
		if err != nil {
			return err
		}
		contactID, accountID = person.ID, acme.ID
		// The link is written after the contact, as POST /contacts does;
		// the event still carries it, because it renders at commit.
		return tx.AccountContact.Create().SetAccountID(acme.ID).SetContactID(person.ID).SetIsPrimary(true).Exec(ctx)
	})
	got := hooks.collect(t, webhook.ContactCreated)[webhook.ContactCreated]
	checkEnvelope(t, b, got, webhook.ContactCreated)
	links, ok := got.data(t)["accounts"].([]any)
	require.True(t, ok)
	require.Len(t, links, 1)
	require.Equal(t, accountID, links[0].(map[string]any)["accountId"])

	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Contact.UpdateOneID(contactID).SetTitle("IT Director").Exec(ctx)
	})
	got = hooks.collect(t, webhook.ContactUpdated)[webhook.ContactUpdated]
	require.Equal(t, "IT Director", got.data(t)["title"])
}

func TestDealStageEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	b.endpoint(t, hooks.URL(), webhook.DealCreated, webhook.DealStageChanged, webhook.DealClosedWon, webhook.DealClosedLost)
	b.startWorker(t, b.client)

	var won, lost *ent.Deal
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		buyer, err := tx.Account.Create().SetName("Tailspin Toys").Save(ctx)
		if err != nil {
			return err
		}
		if won, err = tx.Deal.Create().SetName("Managed services").SetAccountID(buyer.ID).Save(ctx); err != nil {
			return err
		}
		lost, err = tx.Deal.Create().SetName("Backup add-on").SetAccountID(buyer.ID).Save(ctx)
		return err
	})
	first, second := hooks.next(t), hooks.next(t)
	require.Equal(t, webhook.DealCreated, first.header.Get(webhook.HeaderEvent))
	require.Equal(t, webhook.DealCreated, second.header.Get(webhook.HeaderEvent))

	move := func(dealID, stage string) {
		b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
			return tx.Deal.UpdateOneID(dealID).SetStage(stage).Exec(ctx)
		})
	}

	move(won.ID, "DISCOVERY")
	got := hooks.collect(t, webhook.DealStageChanged)[webhook.DealStageChanged]
	require.Equal(t, "DISCOVERY", got.data(t)["stage"])

	move(won.ID, "CLOSED_WON")
	got = hooks.collect(t, webhook.DealClosedWon)[webhook.DealClosedWon]
	checkEnvelope(t, b, got, webhook.DealClosedWon)
	require.Equal(t, "CLOSED_WON", got.data(t)["stage"])
	require.NotNil(t, got.data(t)["closedAt"])

	move(lost.ID, "CLOSED_LOST")
	got = hooks.collect(t, webhook.DealClosedLost)[webhook.DealClosedLost]
	require.Equal(t, lost.ID, got.data(t)["id"])

	// Moves into Won or Lost are not stage changes, and a deal that stays in
	// its stage fires nothing.
	before := b.eventCount(t)
	move(lost.ID, "CLOSED_LOST")
	require.Equal(t, before, b.eventCount(t))
	require.Len(t, b.events(t, webhook.DealStageChanged), 1)
}

func TestDeviceTransitionEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	b.endpoint(t, hooks.URL(), webhook.AllEvents)
	b.startWorker(t, b.client)

	var server *ent.Device
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		owner, err := tx.Account.Create().SetName("Wingtip").Save(ctx)
		if err != nil {
			return err
		}
		server, err = tx.Device.Create().SetAccountID(owner.ID).SetHostname("WT-SQL01").SetIsOnline(true).Save(ctx)
		return err
	})
	hooks.collect(t, webhook.AccountCreated, webhook.DeviceCreated)

	update := func(change func(*ent.DeviceUpdateOne)) {
		b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
			builder := tx.Device.UpdateOneID(server.ID)
			change(builder)
			return builder.Exec(ctx)
		})
	}

	update(func(u *ent.DeviceUpdateOne) { u.SetIsOnline(false) })
	got := hooks.collect(t, webhook.DeviceUpdated, webhook.DeviceOffline)
	require.Equal(t, false, got[webhook.DeviceOffline].data(t)["isOnline"])
	checkEnvelope(t, b, got[webhook.DeviceOffline], webhook.DeviceOffline)

	update(func(u *ent.DeviceUpdateOne) { u.SetIsEndOfLife(true) })
	got = hooks.collect(t, webhook.DeviceUpdated, webhook.DeviceEndOfLife)
	require.Equal(t, true, got[webhook.DeviceEndOfLife].data(t)["isEndOfLife"])

	// Staying offline and end-of-life is no transition and no change.
	before := b.eventCount(t)
	update(func(u *ent.DeviceUpdateOne) { u.SetIsOnline(false).SetIsEndOfLife(true) })
	require.Equal(t, before, b.eventCount(t))

	// Coming back online is an update, not an offline transition.
	update(func(u *ent.DeviceUpdateOne) { u.SetIsOnline(true) })
	hooks.collect(t, webhook.DeviceUpdated)

	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Device.DeleteOneID(server.ID).Exec(ctx)
	})
	got = hooks.collect(t, webhook.DeviceDeleted)
	require.Equal(t, map[string]any{"id": server.ID, "hardDeleted": true}, got[webhook.DeviceDeleted].data(t))
	hooks.empty(t)
}

func TestTouchpointAndTaskEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	b.endpoint(t, hooks.URL(), webhook.TouchpointCreated, webhook.TaskDeleted)
	b.startWorker(t, b.client)

	var call *ent.Touchpoint
	var chore *ent.Task
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		client, err := tx.Account.Create().SetName("Litware").Save(ctx)
		if err != nil {
			return err
		}
		if call, err = tx.Touchpoint.Create().SetAccountID(client.ID).SetType("CALL").SetSubject("QBR prep").Save(ctx); err != nil {
			return err
		}
		chore, err = tx.Task.Create().SetTitle("Send QBR deck").SetAccountID(client.ID).Save(ctx)
		return err
	})
	got := hooks.collect(t, webhook.TouchpointCreated)[webhook.TouchpointCreated]
	checkEnvelope(t, b, got, webhook.TouchpointCreated)
	stored, err := b.client.Touchpoint.Get(b.system, call.ID)
	require.NoError(t, err)
	require.Equal(t, renderedJSON(t, render.Touchpoint(stored)), got.data(t))

	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Task.DeleteOneID(chore.ID).Exec(ctx)
	})
	got = hooks.collect(t, webhook.TaskDeleted)[webhook.TaskDeleted]
	require.Equal(t, map[string]any{"id": chore.ID, "hardDeleted": true}, got.data(t))
}

func TestRolledBackWriteRecordsNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.endpoint(t, "https://hooks.example.test/breadbox", webhook.AllEvents)

	failure := errors.New("the request failed after the write")
	var accountID string
	err := b.inTxErr(b.ctx, func(ctx context.Context, tx *ent.Client) error {
		created, err := tx.Account.Create().SetName("Never committed").Save(ctx)
		if err != nil {
			return err
		}
		accountID = created.ID
		return failure
	})
	require.ErrorIs(t, err, failure)
	require.NotEmpty(t, accountID)
	require.Zero(t, b.eventCount(t))
	require.Empty(t, b.deliveries(t))

	// The next transaction starts clean: nothing of the rolled-back one
	// leaks into its events.
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Account.Create().SetName("Committed").Exec(ctx)
	})
	require.Equal(t, []string{webhook.AccountCreated}, names(b.events(t)))
	require.Len(t, b.deliveries(t), 1)
}

func TestTestKeyRecordsEventsWithoutDeliveries(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.endpoint(t, "https://hooks.example.test/breadbox", webhook.AllEvents)
	testKey := keyContext(b.system, b.orgID, true)

	var doomed *ent.Account
	b.inTx(t, testKey, func(ctx context.Context, tx *ent.Client) error {
		var err error
		if doomed, err = tx.Account.Create().SetName("Sandbox account").Save(ctx); err != nil {
			return err
		}
		return tx.Device.Create().SetAccountID(doomed.ID).SetHostname("SANDBOX-01").Exec(ctx)
	})
	// The hard delete runs its cascade as the system; the events are still
	// test events, because a test key opened the transaction.
	b.inTx(t, testKey, func(ctx context.Context, tx *ent.Client) error {
		return rules.HardDeleteAccount(ctx, tx, doomed.ID)
	})

	events := b.events(t)
	require.Equal(t, sorted([]string{webhook.AccountCreated, webhook.DeviceCreated, webhook.AccountDeleted, webhook.DeviceDeleted}), sorted(names(events)))
	for _, recorded := range events {
		require.True(t, recorded.TestMode, "event %s must be a test event", recorded.Type)
		require.NotNil(t, recorded.KeyID)
		require.Equal(t, "key_webhooktest", *recorded.KeyID)
	}
	require.Empty(t, b.deliveries(t), "test events are never delivered")
}

func TestWriteOutsideTransactionRecordsEvent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.endpoint(t, "https://hooks.example.test/breadbox", webhook.AccountCreated)

	created, err := b.client.Account.Create().SetName("No transaction").Save(b.ctx)
	require.NoError(t, err)

	events := b.events(t)
	require.Len(t, events, 1)
	require.Equal(t, created.ID, events[0].ResourceID)
	require.Len(t, b.deliveries(t), 1)
}

func TestEventsGoToSubscribedEnabledEndpoints(t *testing.T) {
	t.Parallel()
	b := setup(t)
	everything := b.endpoint(t, "https://all.example.test/hook", webhook.AllEvents)
	devicesOnly := b.endpoint(t, "https://devices.example.test/hook", webhook.DeviceCreated)
	disabled := b.endpoint(t, "https://disabled.example.test/hook", webhook.AllEvents)
	_, err := b.manager.Disable(b.system, b.orgID, disabled.Endpoint.ID, "paused")
	require.NoError(t, err)

	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		return tx.Account.Create().SetName("Adatum").Exec(ctx)
	})

	deliveries := b.deliveries(t)
	require.Len(t, deliveries, 1)
	require.Equal(t, everything.Endpoint.ID, deliveries[0].EndpointID)
	require.NotEqual(t, devicesOnly.Endpoint.ID, deliveries[0].EndpointID)
}

func TestBulkUpsertEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.endpoint(t, "https://hooks.example.test/breadbox", webhook.AllEvents)

	var owner *ent.Account
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		var err error
		owner, err = tx.Account.Create().SetName("Proseware").Save(ctx)
		return err
	})

	online, offline, text := bulk.Some(true), bulk.Some(false), bulk.Some[string]
	item := func(agent, hostname string, isOnline bulk.Optional[bool]) bulk.DeviceItem {
		return bulk.DeviceItem{RmmAgentID: text(agent), AccountID: text(owner.ID), Hostname: text(hostname), IsOnline: isOnline}
	}

	_, err := bulk.UpsertDevices(b.ctx, b.client, []bulk.DeviceItem{item("agent-1", "PW-WS01", online), item("agent-2", "PW-WS02", online)})
	require.NoError(t, err)
	require.Equal(t, []string{webhook.DeviceCreated, webhook.DeviceCreated}, names(b.events(t, webhook.DeviceCreated)))

	// agent-1 goes offline; agent-2 is sent unchanged and fires nothing.
	_, err = bulk.UpsertDevices(b.ctx, b.client, []bulk.DeviceItem{item("agent-1", "PW-WS01", offline), item("agent-2", "PW-WS02", online)})
	require.NoError(t, err)
	updated := b.events(t, webhook.DeviceUpdated, webhook.DeviceOffline)
	require.Equal(t, sorted([]string{webhook.DeviceUpdated, webhook.DeviceOffline}), sorted(names(updated)))
	first := updated[0].ResourceID
	require.Equal(t, first, updated[1].ResourceID)

	var payload webhook.Envelope
	require.NoError(t, json.Unmarshal(updated[0].Payload, &payload))
	require.Equal(t, false, payload.Data.(map[string]any)["isOnline"])
	require.Equal(t, "agent-1", payload.Data.(map[string]any)["rmmAgentId"])

	// An account upsert into CHURNED is the soft delete.
	accountItem := bulk.AccountItem{ExternalID: text("crm-1"), Name: text("Proseware East")}
	_, err = bulk.UpsertAccounts(b.ctx, b.client, []bulk.AccountItem{accountItem})
	require.NoError(t, err)
	accountItem.LifecycleStatus = bulk.Some(account.LifecycleStatusCHURNED)
	_, err = bulk.UpsertAccounts(b.ctx, b.client, []bulk.AccountItem{accountItem})
	require.NoError(t, err)
	require.Len(t, b.events(t, webhook.AccountDeleted), 1)
	require.Len(t, b.events(t, webhook.AccountUpdated), 0)
}

// inTxErr runs fn in a transaction and returns its error.
func (b *bundle) inTxErr(ctx context.Context, fn func(ctx context.Context, tx *ent.Client) error) error {
	return database.WithTx(ctx, b.client, func(ctx context.Context) error {
		return fn(ctx, database.Client(ctx, b.client))
	})
}
