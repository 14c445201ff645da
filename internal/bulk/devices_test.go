package bulk_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/breadbox/breadbox/ent/device"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/bulk"
)

func deviceItem(agentID, accountID, hostname string) bulk.DeviceItem {
	return bulk.DeviceItem{
		RmmAgentID: bulk.Some(agentID),
		AccountID:  bulk.Some(accountID),
		Hostname:   bulk.Some(hostname),
		OS:         bulk.Some("Windows 11"),
		IsOnline:   bulk.Some(true),
	}
}

func TestUpsertDevicesCreatesThenUpdates(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")

	first, err := bulk.UpsertDevices(e.ctx, e.client, []bulk.DeviceItem{
		deviceItem("ninja-12345", acme.ID, "WS-SMITH-01"),
	})
	if err != nil {
		t.Fatalf("first upsert: %v", err)
	}
	if first.Created != 1 || first.Updated != 0 || first.Total != 1 {
		t.Fatalf("first upsert counted created=%d updated=%d total=%d, want 1, 0, 1", first.Created, first.Updated, first.Total)
	}

	changed := deviceItem("ninja-12345", acme.ID, "WS-SMITH-01")
	changed.IsOnline = bulk.Some(false)
	second, err := bulk.UpsertDevices(e.ctx, e.client, []bulk.DeviceItem{
		changed,
		deviceItem("ninja-12346", acme.ID, "WS-JONES-01"),
	})
	if err != nil {
		t.Fatalf("second upsert: %v", err)
	}
	if second.Created != 1 || second.Updated != 1 || second.Total != 2 {
		t.Fatalf("second upsert counted created=%d updated=%d total=%d, want 1, 1, 2", second.Created, second.Updated, second.Total)
	}

	updated := second.Results[0]
	if updated.RmmAgentID != "ninja-12345" || updated.Action != bulk.ActionUpdated || updated.ID != first.Results[0].ID {
		t.Errorf("results[0] = %+v, want ninja-12345 updated with ID %s", updated, first.Results[0].ID)
	}
	if !updated.Changed {
		t.Error("results[0].Changed is false for a device whose isOnline changed")
	}
	if created := second.Results[1]; created.RmmAgentID != "ninja-12346" || created.Action != bulk.ActionCreated {
		t.Errorf("results[1] = %+v, want ninja-12346 created", created)
	}

	stored, err := e.client.Device.Get(e.system, updated.ID)
	if err != nil {
		t.Fatalf("reading the updated device: %v", err)
	}
	if stored.IsOnline {
		t.Error("stored isOnline is still true after the update")
	}
	if stored.Hostname != "WS-SMITH-01" {
		t.Errorf("stored hostname = %q, want WS-SMITH-01", stored.Hostname)
	}
	count, err := e.client.Device.Query().Count(e.system)
	if err != nil {
		t.Fatalf("counting devices: %v", err)
	}
	if count != 2 {
		t.Errorf("the org has %d devices, want 2", count)
	}
}

func TestUpsertDevicesPartialUpdateKeepsFields(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")
	item := deviceItem("ninja-1", acme.ID, "WS-SMITH-01")
	item.SerialNumber = bulk.Some("SN-1")
	if _, err := bulk.UpsertDevices(e.ctx, e.client, []bulk.DeviceItem{item}); err != nil {
		t.Fatalf("creating the device: %v", err)
	}

	result, err := bulk.UpsertDevices(e.ctx, e.client, []bulk.DeviceItem{{
		RmmAgentID:   bulk.Some("ninja-1"),
		IsOnline:     bulk.Some(false),
		SerialNumber: bulk.Null[string](),
	}})
	if err != nil {
		t.Fatalf("partial update: %v", err)
	}

	stored, err := e.client.Device.Get(e.system, result.Results[0].ID)
	if err != nil {
		t.Fatalf("reading the device: %v", err)
	}
	if stored.Hostname != "WS-SMITH-01" || stored.AccountID != acme.ID {
		t.Errorf("absent fields changed: hostname %q, account %s", stored.Hostname, stored.AccountID)
	}
	if stored.Os == nil || *stored.Os != "Windows 11" {
		t.Errorf("absent os changed to %v", stored.Os)
	}
	if stored.SerialNumber != nil {
		t.Errorf("serialNumber = %q after null, want cleared", *stored.SerialNumber)
	}
	if stored.IsOnline {
		t.Error("isOnline stayed true")
	}
}

func TestUpsertDevicesNoOpKeepsUpdatedAt(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")
	items := []bulk.DeviceItem{
		deviceItem("ninja-1", acme.ID, "WS-SMITH-01"),
		deviceItem("ninja-2", acme.ID, "WS-JONES-01"),
	}
	seen := time.Date(2026, 5, 1, 12, 30, 15, 123456789, time.UTC)
	items[0].LastSeenAt = bulk.Some(seen)
	first, err := bulk.UpsertDevices(e.ctx, e.client, items)
	if err != nil {
		t.Fatalf("first upsert: %v", err)
	}
	before, err := e.client.Device.Get(e.system, first.Results[0].ID)
	if err != nil {
		t.Fatalf("reading the device: %v", err)
	}

	time.Sleep(5 * time.Millisecond)
	e.counter.reset()
	again, err := bulk.UpsertDevices(e.ctx, e.client, items)
	if err != nil {
		t.Fatalf("re-send: %v", err)
	}
	if again.Updated != 2 || again.Created != 0 {
		t.Errorf("re-send counted created=%d updated=%d, want 0 and 2", again.Created, again.Updated)
	}
	for i, outcome := range again.Results {
		if outcome.Action != bulk.ActionUpdated {
			t.Errorf("results[%d].action = %s, want updated", i, outcome.Action)
		}
		if outcome.Changed {
			t.Errorf("results[%d].Changed is true for an identical item", i)
		}
	}
	if got := e.counter.summary(); containsWrite(got) {
		t.Errorf("a no-op re-send wrote rows:\n%s", got)
	}

	after, err := e.client.Device.Get(e.system, first.Results[0].ID)
	if err != nil {
		t.Fatalf("reading the device: %v", err)
	}
	if !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("updatedAt moved from %s to %s on a no-op re-send", before.UpdatedAt, after.UpdatedAt)
	}
}

func TestUpsertDevicesRepeatedKeyNamesBothIndexes(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")

	_, err := bulk.UpsertDevices(e.ctx, e.client, []bulk.DeviceItem{
		deviceItem("ninja-1", acme.ID, "WS-1"),
		deviceItem("ninja-2", acme.ID, "WS-2"),
		deviceItem("ninja-1", acme.ID, "WS-3"),
	})
	details := validationDetails(t, err)
	if !hasDetail(details, "rmmAgentId ninja-1 also appears at index 0", "devices", 2, "rmmAgentId") {
		t.Errorf("details %+v do not name index 0 at devices[2].rmmAgentId", details)
	}
}

func TestUpsertDevicesReportsEveryInvalidPath(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")

	long := fmt.Sprintf("%0256d", 0)
	_, err := bulk.UpsertDevices(e.ctx, e.client, []bulk.DeviceItem{
		deviceItem("ninja-1", acme.ID, "WS-1"),
		{RmmAgentID: bulk.Some("ninja-2"), AccountID: bulk.Some("dev_123"), Hostname: bulk.Some("WS-2")},
		{RmmAgentID: bulk.Some("ninja-3"), AccountID: bulk.Some(acme.ID), Hostname: bulk.Some(long)},
		{AccountID: bulk.Some(acme.ID), Hostname: bulk.Some("WS-4")},
		{RmmAgentID: bulk.Some("ninja-5"), AccountID: bulk.Some(acme.ID), Hostname: bulk.Null[string](), IsOnline: bulk.Null[bool]()},
		{RmmAgentID: bulk.Some("ninja-6"), AccountID: bulk.Some(acme.ID)},
	})
	details := validationDetails(t, err)

	cases := []struct {
		path []any
		text string
	}{
		{[]any{"devices", 1, "accountId"}, "must be an ID starting with acc_"},
		{[]any{"devices", 2, "hostname"}, "at most 255 characters"},
		{[]any{"devices", 3, "rmmAgentId"}, "is required"},
		{[]any{"devices", 4, "hostname"}, "must not be null"},
		{[]any{"devices", 4, "isOnline"}, "must not be null"},
		{[]any{"devices", 5, "hostname"}, "is required to create a device"},
	}
	for _, want := range cases {
		if !hasDetail(details, want.text, want.path...) {
			t.Errorf("no detail %q at %v in %+v", want.text, want.path, details)
		}
	}
	if len(details) != len(cases) {
		t.Errorf("got %d details, want %d: %+v", len(details), len(cases), details)
	}
}

func TestUpsertDevicesRejectsAccountOfOtherOrg(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")
	other, err := adminOrg(e)
	if err != nil {
		t.Fatalf("creating the other org: %v", err)
	}
	foreign := createAccount(t, auth.SystemContext(e.system, other), e.client, "Foreign Dental")

	_, err = bulk.UpsertDevices(e.ctx, e.client, []bulk.DeviceItem{
		deviceItem("ninja-1", acme.ID, "WS-1"),
		deviceItem("ninja-2", foreign.ID, "WS-2"),
	})
	details := validationDetails(t, err)
	if !hasDetail(details, "was not found in this org", "devices", 1, "accountId") {
		t.Errorf("details %+v do not reject devices[1].accountId", details)
	}
	assertNoDevices(t, e)
}

func TestUpsertDevicesRejects501Items(t *testing.T) {
	e := newEnv(t)
	items := make([]bulk.DeviceItem, bulk.MaxItems+1)
	_, err := bulk.UpsertDevices(e.ctx, e.client, items)
	details := validationDetails(t, err)
	if !hasDetail(details, "contains 501 items", "devices") {
		t.Errorf("details %+v do not reject the batch size", details)
	}
}

func TestUpsertDevicesInvalidItemWritesNothing(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")
	items := make([]bulk.DeviceItem, 0, 20)
	for i := range 20 {
		items = append(items, deviceItem(fmt.Sprintf("ninja-%d", i), acme.ID, fmt.Sprintf("WS-%02d", i)))
	}
	items[17].Hostname = bulk.Some("")

	_, err := bulk.UpsertDevices(e.ctx, e.client, items)
	details := validationDetails(t, err)
	if !hasDetail(details, "must not be empty", "devices", 17, "hostname") {
		t.Errorf("details %+v do not point at devices[17].hostname", details)
	}
	assertNoDevices(t, e)
}

func TestUpsertDevicesSiteMustBelongToAccount(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")
	blue := createAccount(t, e.system, e.client, "BluePeak Legal")
	office, err := e.client.Site.Create().SetAccountID(blue.ID).SetName("Main office").Save(e.system)
	if err != nil {
		t.Fatalf("creating the site: %v", err)
	}

	item := deviceItem("ninja-1", acme.ID, "WS-1")
	item.SiteID = bulk.Some(office.ID)
	_, err = bulk.UpsertDevices(e.ctx, e.client, []bulk.DeviceItem{item})
	details := validationDetails(t, err)
	if !hasDetail(details, "but the device belongs to account "+acme.ID, "devices", 0, "siteId") {
		t.Errorf("details %+v do not reject a site of another account", details)
	}

	item.AccountID = bulk.Some(blue.ID)
	if _, err := bulk.UpsertDevices(e.ctx, e.client, []bulk.DeviceItem{item}); err != nil {
		t.Fatalf("upserting with the account's own site: %v", err)
	}
}

// TestUpsertDevicesStatementCountIsConstant compares the statements of a
// batch of 10 new devices with one of 500, and of 10 changed devices with 500.
func TestUpsertDevicesStatementCountIsConstant(t *testing.T) {
	e := newEnv(t)
	acme := createAccount(t, e.system, e.client, "Acme Healthcare")

	batch := func(prefix string, size int, online bool) []bulk.DeviceItem {
		items := make([]bulk.DeviceItem, size)
		for i := range items {
			items[i] = deviceItem(fmt.Sprintf("%s-%d", prefix, i), acme.ID, fmt.Sprintf("WS-%s-%03d", prefix, i))
			items[i].IsOnline = bulk.Some(online)
		}
		return items
	}
	run := func(items []bulk.DeviceItem) int {
		t.Helper()
		e.counter.reset()
		if _, err := bulk.UpsertDevices(e.ctx, e.client, items); err != nil {
			t.Fatalf("upserting %d devices: %v", len(items), err)
		}
		return e.counter.count()
	}

	createSmall := run(batch("small", 10, true))
	createLarge := run(batch("large", 500, true))
	updateSmall := run(batch("small", 10, false))
	updateLarge := run(batch("large", 500, false))

	t.Logf("statements: create 10 → %d, create 500 → %d, update 10 → %d, update 500 → %d", createSmall, createLarge, updateSmall, updateLarge)
	// The per-row statements, when there are any, come from ent hooks that
	// query once per builder of a CreateBulk (tenant.CheckReferences first).
	if createLarge != createSmall {
		t.Errorf("creating 500 devices took %d statements, 10 took %d; want the same (per-row hook queries?)", createLarge, createSmall)
	}
	if updateLarge != updateSmall {
		t.Errorf("updating 500 devices took %d statements, 10 took %d; want the same (per-row hook queries?)", updateLarge, updateSmall)
	}
	if createLarge > 10 {
		t.Errorf("creating 500 devices took %d statements, want at most 10", createLarge)
	}
}

func adminOrg(e *env) (string, error) {
	created, err := e.client.Org.Create().SetName("Other MSP").Save(auth.WithPrincipal(e.system, &auth.Principal{System: true}))
	if err != nil {
		return "", err
	}
	return created.ID, nil
}

func assertNoDevices(t *testing.T, e *env) {
	t.Helper()
	count, err := e.client.Device.Query().Where(device.OrgID(e.orgID)).Count(e.system)
	if err != nil {
		t.Fatalf("counting devices: %v", err)
	}
	if count != 0 {
		t.Errorf("the org has %d devices after a rejected batch, want 0", count)
	}
}

// containsWrite reports whether a statement summary has an INSERT, UPDATE or
// DELETE.
func containsWrite(summary string) bool {
	for _, verb := range []string{"INSERT", "UPDATE", "DELETE"} {
		if containsWord(summary, verb) {
			return true
		}
	}
	return false
}
