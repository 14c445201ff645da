package rest

import (
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/device"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
)

var deviceSorts = []pagination.Field{
	{Name: "hostname", Column: device.FieldHostname},
	{Name: "lastSeenAt", Column: device.FieldLastSeenAt, Nullable: true},
	{Name: "warrantyExpiresAt", Column: device.FieldWarrantyExpiresAt, Nullable: true},
	createdAtField,
	updatedAtField,
}

var deviceReadOnly = []string{"id", "createdAt", "updatedAt"}

func (a *api) listDevices(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Device
	if accountID := f.id("accountId", id.Account); accountID != "" {
		where = append(where, device.AccountID(accountID))
	}
	if online := f.boolean("isOnline"); online != nil {
		where = append(where, device.IsOnline(*online))
	}
	if endOfLife := f.boolean("isEndOfLife"); endOfLife != nil {
		where = append(where, device.IsEndOfLife(*endOfLife))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	client := a.client(req)
	page, err := pagination.Paginate[*ent.DeviceQuery, *ent.Device, predicate.Device, device.OrderOption](
		req.ctx(), client.Device.Query, where, req.page)
	if err != nil {
		return result{}, err
	}
	return listOf(page, render.Device), nil
}

func (a *api) getDevice(req *request) (result, error) {
	found, err := getNode[*ent.Device](a, req, id.Device)
	if err != nil {
		return result{}, err
	}
	return ok(render.Device(found)), nil
}

func (a *api) createDevice(req *request) (result, error) {
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(deviceReadOnly...)
	fields := readDevice(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	input := ent.CreateDeviceInput{Hostname: fields.hostname.V, AccountID: fields.accountID.V}
	setOptional(&input.SiteID, fields.siteID)
	setOptional(&input.RmmAgentID, fields.rmmAgentID)
	setOptional(&input.Os, fields.os)
	setOptional(&input.DeviceType, fields.deviceType)
	setOptional(&input.SerialNumber, fields.serialNumber)
	setOptional(&input.IsOnline, fields.isOnline)
	setOptional(&input.LastSeenAt, fields.lastSeenAt)
	setOptional(&input.PatchCompliant, fields.patchCompliant)
	setOptional(&input.IsEndOfLife, fields.isEndOfLife)
	setOptional(&input.WarrantyExpiresAt, fields.warrantyExpiresAt)

	createdDevice, err := a.resolver.Mutation().CreateDevice(req.ctx(), input)
	if err != nil {
		return result{}, err
	}
	return created(render.Device(createdDevice)), nil
}

func (a *api) updateDevice(req *request) (result, error) {
	deviceID, err := req.pathID(id.Device)
	if err != nil {
		return result{}, err
	}
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly(deviceReadOnly...)
	fields := readDevice(b)
	if err := b.finish(); err != nil {
		return result{}, err
	}

	var input ent.UpdateDeviceInput
	setOptional(&input.Hostname, fields.hostname)
	setOptional(&input.AccountID, fields.accountID)
	patchOptional(&input.SiteID, &input.ClearSite, fields.siteID)
	patchOptional(&input.RmmAgentID, &input.ClearRmmAgentID, fields.rmmAgentID)
	patchOptional(&input.Os, &input.ClearOs, fields.os)
	patchOptional(&input.DeviceType, &input.ClearDeviceType, fields.deviceType)
	patchOptional(&input.SerialNumber, &input.ClearSerialNumber, fields.serialNumber)
	setOptional(&input.IsOnline, fields.isOnline)
	patchOptional(&input.LastSeenAt, &input.ClearLastSeenAt, fields.lastSeenAt)
	patchOptional(&input.PatchCompliant, &input.ClearPatchCompliant, fields.patchCompliant)
	setOptional(&input.IsEndOfLife, fields.isEndOfLife)
	patchOptional(&input.WarrantyExpiresAt, &input.ClearWarrantyExpiresAt, fields.warrantyExpiresAt)

	updated, err := a.resolver.Mutation().UpdateDevice(req.ctx(), deviceID, input)
	if err != nil {
		return result{}, err
	}
	return ok(render.Device(updated)), nil
}

func (a *api) deleteDevice(req *request) (result, error) {
	deviceID, err := req.pathID(id.Device)
	if err != nil {
		return result{}, err
	}
	deleted, err := a.resolver.Mutation().DeleteDevice(req.ctx(), deviceID)
	if err != nil {
		return result{}, err
	}
	return ok(render.HardDeleted(deleted.ID)), nil
}

type deviceFields struct {
	accountID         value[string]
	siteID            value[string]
	rmmAgentID        value[string]
	hostname          value[string]
	os                value[string]
	deviceType        value[string]
	serialNumber      value[string]
	isOnline          value[bool]
	lastSeenAt        value[time.Time]
	patchCompliant    value[bool]
	isEndOfLife       value[bool]
	warrantyExpiresAt value[time.Time]
}

func readDevice(b *body) deviceFields {
	return deviceFields{
		accountID:         reference(b, "accountId", required, id.Account),
		siteID:            reference(b, "siteId", optional, id.Site),
		rmmAgentID:        text(b, "rmmAgentId", textRule{}),
		hostname:          text(b, "hostname", textRule{presence: required}),
		os:                text(b, "os", textRule{}),
		deviceType:        text(b, "deviceType", textRule{}),
		serialNumber:      text(b, "serialNumber", textRule{}),
		isOnline:          boolean(b, "isOnline", notNull),
		lastSeenAt:        timestamp(b, "lastSeenAt"),
		patchCompliant:    boolean(b, "patchCompliant", optional),
		isEndOfLife:       boolean(b, "isEndOfLife", notNull),
		warrantyExpiresAt: timestamp(b, "warrantyExpiresAt"),
	}
}
