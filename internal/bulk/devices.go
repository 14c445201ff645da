package bulk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/device"
	"github.com/breadbox/breadbox/ent/privacy"
	"github.com/breadbox/breadbox/ent/site"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/webhook"
)

// DeviceItem is one device of a bulk upsert, matched to a stored device by
// rmmAgentId. An absent field keeps the stored value; null clears an
// optional one. hostname and accountId are required to create a device.
type DeviceItem struct {
	RmmAgentID        Optional[string]    `json:"rmmAgentId,omitzero"`
	AccountID         Optional[string]    `json:"accountId,omitzero"`
	SiteID            Optional[string]    `json:"siteId,omitzero"`
	Hostname          Optional[string]    `json:"hostname,omitzero"`
	OS                Optional[string]    `json:"os,omitzero"`
	DeviceType        Optional[string]    `json:"deviceType,omitzero"`
	SerialNumber      Optional[string]    `json:"serialNumber,omitzero"`
	IsOnline          Optional[bool]      `json:"isOnline,omitzero"`
	LastSeenAt        Optional[time.Time] `json:"lastSeenAt,omitzero"`
	PatchCompliant    Optional[bool]      `json:"patchCompliant,omitzero"`
	IsEndOfLife       Optional[bool]      `json:"isEndOfLife,omitzero"`
	WarrantyExpiresAt Optional[time.Time] `json:"warrantyExpiresAt,omitzero"`
}

// Validate checks the item on its own, without the database. Paths are
// relative to the item, such as ["hostname"].
func (item DeviceItem) Validate() []apierr.Detail {
	var c checker
	c.key("rmmAgentId", item.RmmAgentID, maxName)
	c.reference("accountId", item.AccountID, id.Account, false)
	c.reference("siteId", item.SiteID, id.Site, true)
	c.required("hostname", item.Hostname, maxName)
	c.text("os", item.OS, maxName)
	c.text("deviceType", item.DeviceType, maxName)
	c.text("serialNumber", item.SerialNumber, maxName)
	notNull(&c, "isOnline", item.IsOnline)
	notNull(&c, "isEndOfLife", item.IsEndOfLife)
	return c.details
}

// apply copies the item's fields onto d and reports whether d changed.
func (item DeviceItem) apply(d *ent.Device) bool {
	changed := assign(&d.AccountID, item.AccountID)
	changed = assignNillable(&d.SiteID, item.SiteID) || changed
	changed = assign(&d.Hostname, item.Hostname) || changed
	changed = assignNillable(&d.Os, item.OS) || changed
	changed = assignNillable(&d.DeviceType, item.DeviceType) || changed
	changed = assignNillable(&d.SerialNumber, item.SerialNumber) || changed
	changed = assign(&d.IsOnline, item.IsOnline) || changed
	changed = assignTime(&d.LastSeenAt, item.LastSeenAt) || changed
	changed = assignNillable(&d.PatchCompliant, item.PatchCompliant) || changed
	changed = assign(&d.IsEndOfLife, item.IsEndOfLife) || changed
	changed = assignTime(&d.WarrantyExpiresAt, item.WarrantyExpiresAt) || changed
	return changed
}

// DeviceResult is the outcome of one item, in input order.
type DeviceResult struct {
	RmmAgentID string `json:"rmmAgentId"`
	ID         string `json:"id"`
	Action     Action `json:"action"`
	// Changed is true when a row was written: always for a created device,
	// and for an updated one only when a field differed from the stored row.
	Changed bool `json:"-"`
	// Previous is the stored row before the write, nil for a created device.
	Previous *ent.Device `json:"-"`
	// Device is the row as stored after the write.
	Device *ent.Device `json:"-"`
}

// DevicesResult is the response of a bulk device upsert.
type DevicesResult struct {
	Created int            `json:"created"`
	Updated int            `json:"updated"`
	Total   int            `json:"total"`
	Results []DeviceResult `json:"results"`
}

// UpsertDevices creates or updates devices by rmmAgentId in the caller's org,
// in one transaction (the request's, when ctx carries one). It returns a
// validation_error listing every problem when any item is invalid, and then
// writes nothing.
func UpsertDevices(ctx context.Context, client *ent.Client, items []DeviceItem) (*DevicesResult, error) {
	if err := checkSize("devices", len(items)); err != nil {
		return nil, err
	}
	orgID, err := callerOrg(ctx)
	if err != nil {
		return nil, err
	}

	var found problems
	keys := make([]string, len(items))
	for i, item := range items {
		found.addItem("devices", i, item.Validate())
		if item.RmmAgentID.Set() && strings.TrimSpace(item.RmmAgentID.Value) != "" {
			keys[i] = item.RmmAgentID.Value
		}
	}
	repeatedKeys(&found, "devices", "rmmAgentId", keys, keys)

	var result *DevicesResult
	err = database.WithTx(ctx, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		existing, err := existingDevices(ctx, tx, orgID, keys)
		if err != nil {
			return err
		}
		if err := checkDeviceReferences(ctx, tx, orgID, items, existing, &found); err != nil {
			return err
		}
		if err := found.err(); err != nil {
			return err
		}
		ctx = withCheckedReferences(ctx, orgID, deviceReferences(items, existing))
		result, err = writeDevices(ctx, tx, items, existing)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// existingDevices loads the org's devices whose rmmAgentId is among keys, by
// key, locking them on PostgreSQL.
func existingDevices(ctx context.Context, tx *ent.Client, orgID string, keys []string) (map[string]*ent.Device, error) {
	lookup := nonEmpty(keys)
	byKey := make(map[string]*ent.Device, len(lookup))
	if len(lookup) == 0 {
		return byKey, nil
	}
	query := tx.Device.Query().Where(device.OrgID(orgID), device.RmmAgentIDIn(lookup...))
	query.Modify(lockRows)
	rows, err := query.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading the existing devices: %w", err)
	}
	for _, row := range rows {
		byKey[*row.RmmAgentID] = row
	}
	return byKey, nil
}

// checkDeviceReferences checks, in one query per entity type, that every
// accountId and siteId names a record of the org, that a site belongs to the
// device's account, and that a new device has what a device needs.
func checkDeviceReferences(ctx context.Context, tx *ent.Client, orgID string, items []DeviceItem, existing map[string]*ent.Device, found *problems) error {
	var accountIDs, siteIDs []string
	for _, item := range items {
		if item.AccountID.Set() && id.HasPrefix(item.AccountID.Value, id.Account) {
			accountIDs = append(accountIDs, item.AccountID.Value)
		}
		if item.SiteID.Set() && id.HasPrefix(item.SiteID.Value, id.Site) {
			siteIDs = append(siteIDs, item.SiteID.Value)
		}
		if stored := existing[item.RmmAgentID.Value]; stored != nil && stored.SiteID != nil && !item.SiteID.Present {
			siteIDs = append(siteIDs, *stored.SiteID)
		}
	}

	accounts, err := existingSet(ctx, tx, orgID, accountIDs)
	if err != nil {
		return err
	}
	siteAccounts, err := siteAccounts(ctx, tx, orgID, siteIDs)
	if err != nil {
		return err
	}

	for i, item := range items {
		stored := existing[item.RmmAgentID.Value]
		if item.AccountID.Set() && id.HasPrefix(item.AccountID.Value, id.Account) && !accounts[item.AccountID.Value] {
			found.add([]any{"devices", i, "accountId"}, "refers to %s, which was not found in this org", item.AccountID.Value)
		}
		if stored == nil {
			if !item.AccountID.Present {
				found.add([]any{"devices", i, "accountId"}, "is required to create a device")
			}
			if !item.Hostname.Present {
				found.add([]any{"devices", i, "hostname"}, "is required to create a device")
			}
		}
		checkDeviceSite(i, item, stored, siteAccounts, found)
	}
	return nil
}

// checkDeviceSite checks that the device's site, sent or stored, belongs to
// the device's account, sent or stored.
func checkDeviceSite(i int, item DeviceItem, stored *ent.Device, siteAccounts map[string]string, found *problems) {
	var siteID, accountID string
	switch {
	case item.SiteID.Set():
		siteID = item.SiteID.Value
		if !id.HasPrefix(siteID, id.Site) {
			return
		}
	case !item.SiteID.Present && stored != nil && stored.SiteID != nil:
		siteID = *stored.SiteID
	default:
		return
	}
	switch {
	case item.AccountID.Set():
		accountID = item.AccountID.Value
	case stored != nil:
		accountID = stored.AccountID
	}

	path := []any{"devices", i, "siteId"}
	siteAccount, ok := siteAccounts[siteID]
	switch {
	case !ok:
		found.add(path, "refers to %s, which was not found in this org", siteID)
	case accountID != "" && siteAccount != accountID && item.SiteID.Present:
		found.add(path, "refers to site %s of account %s, but the device belongs to account %s", siteID, siteAccount, accountID)
	case accountID != "" && siteAccount != accountID:
		found.add(path, "is %s, a site of account %s; moving the device to account %s needs a siteId of that account, or null", siteID, siteAccount, accountID)
	}
}

// siteAccounts returns the account of each of the org's sites among ids. The
// lookup bypasses scopes (writing devices may name a site the key cannot
// read) but never the org.
func siteAccounts(ctx context.Context, tx *ent.Client, orgID string, ids []string) (map[string]string, error) {
	owners := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return owners, nil
	}
	sites, err := tx.Site.Query().
		Where(site.OrgID(orgID), site.IDIn(unique(ids)...)).
		Select(site.FieldID, site.FieldAccountID).
		All(privacy.DecisionContext(ctx, privacy.Allow))
	if err != nil {
		return nil, fmt.Errorf("checking the siteId references: %w", err)
	}
	for _, s := range sites {
		owners[s.ID] = s.AccountID
	}
	return owners, nil
}

// writeDevices inserts the new devices in one statement and upserts the
// changed ones in another; unchanged devices are not written.
func writeDevices(ctx context.Context, tx *ent.Client, items []DeviceItem, existing map[string]*ent.Device) (*DevicesResult, error) {
	result := &DevicesResult{Total: len(items), Results: make([]DeviceResult, len(items))}
	var creates, updates []*ent.DeviceCreate
	var createAt []int
	writtenAt := now()

	for i, item := range items {
		key := item.RmmAgentID.Value
		outcome := DeviceResult{RmmAgentID: key}
		if stored := existing[key]; stored != nil {
			merged := *stored
			outcome.ID, outcome.Action, outcome.Previous = stored.ID, ActionUpdated, stored
			outcome.Changed = item.apply(&merged)
			outcome.Device = &merged
			if outcome.Changed {
				merged.UpdatedAt = writtenAt
				updates = append(updates, deviceCreate(tx, &merged).SetID(stored.ID).SetUpdatedAt(writtenAt))
			}
			result.Updated++
		} else {
			created := ent.Device{RmmAgentID: &key}
			item.apply(&created)
			outcome.Action, outcome.Changed = ActionCreated, true
			creates = append(creates, deviceCreate(tx, &created))
			createAt = append(createAt, i)
			result.Created++
		}
		result.Results[i] = outcome
	}

	if len(creates) > 0 {
		rows, err := tx.Device.CreateBulk(creates...).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("inserting %d devices: %w", len(creates), err)
		}
		for n, row := range rows {
			result.Results[createAt[n]].ID = row.ID
			result.Results[createAt[n]].Device = row
		}
	}
	if len(updates) > 0 {
		err := tx.Device.CreateBulk(updates...).
			OnConflictColumns(device.FieldOrgID, device.FieldRmmAgentID).
			Update(func(u *ent.DeviceUpsert) {
				u.UpdateAccountID().UpdateSiteID().UpdateHostname().UpdateOs().UpdateDeviceType().
					UpdateSerialNumber().UpdateIsOnline().UpdateLastSeenAt().UpdatePatchCompliant().
					UpdateIsEndOfLife().UpdateWarrantyExpiresAt().UpdateUpdatedAt()
			}).
			Exec(webhook.WithStoredRows(ctx, existing))
		if err != nil {
			return nil, fmt.Errorf("updating %d devices: %w", len(updates), err)
		}
	}
	return result, nil
}

// deviceCreate returns a builder that writes every API field of d.
func deviceCreate(tx *ent.Client, d *ent.Device) *ent.DeviceCreate {
	return tx.Device.Create().
		SetAccountID(d.AccountID).
		SetNillableSiteID(d.SiteID).
		SetNillableRmmAgentID(d.RmmAgentID).
		SetHostname(d.Hostname).
		SetNillableOs(d.Os).
		SetNillableDeviceType(d.DeviceType).
		SetNillableSerialNumber(d.SerialNumber).
		SetIsOnline(d.IsOnline).
		SetNillableLastSeenAt(d.LastSeenAt).
		SetNillablePatchCompliant(d.PatchCompliant).
		SetIsEndOfLife(d.IsEndOfLife).
		SetNillableWarrantyExpiresAt(d.WarrantyExpiresAt)
}

// deviceReferences lists the accounts and sites the devices will point to,
// all checked by now.
func deviceReferences(items []DeviceItem, existing map[string]*ent.Device) []string {
	var ids []string
	for _, item := range items {
		stored := existing[item.RmmAgentID.Value]
		switch {
		case item.AccountID.Set():
			ids = append(ids, item.AccountID.Value)
		case stored != nil:
			ids = append(ids, stored.AccountID)
		}
		switch {
		case item.SiteID.Set():
			ids = append(ids, item.SiteID.Value)
		case !item.SiteID.Present && stored != nil && stored.SiteID != nil:
			ids = append(ids, *stored.SiteID)
		}
	}
	return unique(ids)
}
