package webhook

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/contact"
	"github.com/breadbox/breadbox/ent/deal"
	"github.com/breadbox/breadbox/ent/device"
	"github.com/breadbox/breadbox/ent/task"
	"github.com/breadbox/breadbox/internal/render"
	"github.com/breadbox/breadbox/internal/rules"
)

func accountEvents(ctx context.Context, next entgo.Mutator, m *ent.AccountMutation) (entgo.Value, error) {
	switch {
	case m.Op().Is(entgo.OpCreate):
		rowID, orgID := createdID(m)
		stored := storedRow[*ent.Account](ctx, rowID)
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return value, err
		}
		if stored == nil {
			return value, enqueue(ctx, m, newEvent(kindAccount, AccountCreated, orgID, rowID))
		}
		lifecycle := valueOr(m.LifecycleStatus, stored.LifecycleStatus)
		return value, enqueue(ctx, m, newEvent(kindAccount, accountChange(stored.LifecycleStatus, lifecycle), stored.OrgID, rowID))

	case m.Op().Is(entgo.OpUpdateOne):
		changed, err := changes(ctx, m)
		if err != nil || !changed {
			return mutateUnlessErr(ctx, next, m, err)
		}
		oldLifecycle, err := m.OldLifecycleStatus(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the account's lifecycle: %w", err)
		}
		orgID, err := m.OldOrgID(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the account's org: %w", err)
		}
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return value, err
		}
		rowID, _ := m.ID()
		name := accountChange(oldLifecycle, valueOr(m.LifecycleStatus, oldLifecycle))
		return value, enqueue(ctx, m, newEvent(kindAccount, name, orgID, rowID))

	case m.Op().Is(entgo.OpUpdate):
		load := func(ctx context.Context, ids []string) ([]*ent.Account, error) {
			return m.Client().Account.Query().Where(account.IDIn(ids...)).All(ctx)
		}
		classify := func(old, updated *ent.Account) []string {
			if sameRendering(render.Account(withoutUpdatedAt(old)), render.Account(withoutUpdatedAt(updated))) {
				return nil
			}
			return []string{accountChange(old.LifecycleStatus, updated.LifecycleStatus)}
		}
		return updateMany(ctx, next, m, kindAccount, load, classify)

	case m.Op().Is(entgo.OpDeleteOne | entgo.OpDelete):
		orgs := func(ctx context.Context, ids []string) ([]*ent.Account, error) {
			return m.Client().Account.Query().Where(account.IDIn(ids...)).Select(account.FieldID, account.FieldOrgID).All(ctx)
		}
		return deleteMany(ctx, next, m, kindAccount, AccountDeleted, orgs)
	}
	return next.Mutate(ctx, m)
}

// accountChange names the event of an account update: a move into CHURNED is
// the soft delete, account.deleted.
func accountChange(old, updated account.LifecycleStatus) string {
	if updated == account.LifecycleStatusCHURNED && old != account.LifecycleStatusCHURNED {
		return AccountDeleted
	}
	return AccountUpdated
}

func contactEvents(ctx context.Context, next entgo.Mutator, m *ent.ContactMutation) (entgo.Value, error) {
	switch {
	case m.Op().Is(entgo.OpCreate):
		rowID, orgID := createdID(m)
		stored := storedRow[*ent.Contact](ctx, rowID)
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return value, err
		}
		if stored == nil {
			return value, enqueue(ctx, m, newEvent(kindContact, ContactCreated, orgID, rowID))
		}
		return value, enqueue(ctx, m, newEvent(kindContact, ContactUpdated, stored.OrgID, rowID))

	case m.Op().Is(entgo.OpUpdateOne):
		// NOTE: a change of links made through the AccountContact client
		// alone (no Contact mutation) fires no contact.updated, although
		// GET /contacts/{id} shows the links. AccountContact has no event
		// hook yet.
		changed, err := changes(ctx, m, contact.EdgeAccounts, contact.EdgeAccountLinks)
		if err != nil || !changed {
			return mutateUnlessErr(ctx, next, m, err)
		}
		orgID, err := m.OldOrgID(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the contact's org: %w", err)
		}
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return value, err
		}
		rowID, _ := m.ID()
		return value, enqueue(ctx, m, newEvent(kindContact, ContactUpdated, orgID, rowID))

	case m.Op().Is(entgo.OpUpdate):
		load := func(ctx context.Context, ids []string) ([]*ent.Contact, error) {
			return m.Client().Contact.Query().Where(contact.IDIn(ids...)).All(ctx)
		}
		classify := func(old, updated *ent.Contact) []string {
			if sameRendering(render.Contact(withoutUpdatedAt(old), nil), render.Contact(withoutUpdatedAt(updated), nil)) {
				return nil
			}
			return []string{ContactUpdated}
		}
		return updateMany(ctx, next, m, kindContact, load, classify)
	}
	return next.Mutate(ctx, m)
}

func dealEvents(ctx context.Context, next entgo.Mutator, m *ent.DealMutation) (entgo.Value, error) {
	switch {
	case m.Op().Is(entgo.OpCreate):
		rowID, orgID := createdID(m)
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return value, err
		}
		return value, enqueue(ctx, m, newEvent(kindDeal, DealCreated, orgID, rowID))

	case m.Op().Is(entgo.OpUpdateOne):
		newStage, set := m.Stage()
		if !set {
			return next.Mutate(ctx, m)
		}
		oldStage, err := m.OldStage(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the deal's stage: %w", err)
		}
		if oldStage == newStage {
			return next.Mutate(ctx, m)
		}
		orgID, err := m.OldOrgID(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the deal's org: %w", err)
		}
		stages, err := rules.Pipeline(ctx, m.Client(), orgID)
		if err != nil {
			return nil, err
		}
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return value, err
		}
		rowID, _ := m.ID()
		return value, enqueue(ctx, m, newEvent(kindDeal, stageMove(stages, newStage), orgID, rowID))

	case m.Op().Is(entgo.OpUpdate):
		if _, set := m.Stage(); !set {
			return next.Mutate(ctx, m)
		}
		pipelines := make(map[string][]*ent.PipelineStage)
		load := func(ctx context.Context, ids []string) ([]*ent.Deal, error) {
			rows, err := m.Client().Deal.Query().Where(deal.IDIn(ids...)).All(ctx)
			if err != nil {
				return nil, err
			}
			for _, row := range rows {
				if _, loaded := pipelines[row.OrgID]; !loaded {
					if pipelines[row.OrgID], err = rules.Pipeline(ctx, m.Client(), row.OrgID); err != nil {
						return nil, err
					}
				}
			}
			return rows, nil
		}
		classify := func(old, updated *ent.Deal) []string {
			if old.Stage == updated.Stage {
				return nil
			}
			return []string{stageMove(pipelines[updated.OrgID], updated.Stage)}
		}
		return updateMany(ctx, next, m, kindDeal, load, classify)
	}
	return next.Mutate(ctx, m)
}

// stageMove names the event of a move into the stage with the key: Won and
// Lost stages close the deal, any other stage is a stage change.
func stageMove(stages []*ent.PipelineStage, key string) string {
	for _, stage := range stages {
		if stage.Key != key {
			continue
		}
		switch {
		case stage.IsWon:
			return DealClosedWon
		case stage.IsLost:
			return DealClosedLost
		}
	}
	return DealStageChanged
}

func deviceEvents(ctx context.Context, next entgo.Mutator, m *ent.DeviceMutation) (entgo.Value, error) {
	switch {
	case m.Op().Is(entgo.OpCreate):
		rowID, orgID := createdID(m)
		stored := storedRow[*ent.Device](ctx, rowID)
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return value, err
		}
		if stored == nil {
			return value, enqueue(ctx, m, newEvent(kindDevice, DeviceCreated, orgID, rowID))
		}
		names := deviceChange(stored.IsOnline, valueOr(m.IsOnline, stored.IsOnline), stored.IsEndOfLife, valueOr(m.IsEndOfLife, stored.IsEndOfLife))
		return value, enqueue(ctx, m, eventsOf(kindDevice, names, stored.OrgID, rowID)...)

	case m.Op().Is(entgo.OpUpdateOne):
		changed, err := changes(ctx, m)
		if err != nil || !changed {
			return mutateUnlessErr(ctx, next, m, err)
		}
		wasOnline, err := m.OldIsOnline(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the device's online state: %w", err)
		}
		wasEndOfLife, err := m.OldIsEndOfLife(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the device's end-of-life flag: %w", err)
		}
		orgID, err := m.OldOrgID(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the device's org: %w", err)
		}
		value, err := next.Mutate(ctx, m)
		if err != nil {
			return value, err
		}
		rowID, _ := m.ID()
		names := deviceChange(wasOnline, valueOr(m.IsOnline, wasOnline), wasEndOfLife, valueOr(m.IsEndOfLife, wasEndOfLife))
		return value, enqueue(ctx, m, eventsOf(kindDevice, names, orgID, rowID)...)

	case m.Op().Is(entgo.OpUpdate):
		load := func(ctx context.Context, ids []string) ([]*ent.Device, error) {
			return m.Client().Device.Query().Where(device.IDIn(ids...)).All(ctx)
		}
		classify := func(old, updated *ent.Device) []string {
			if sameRendering(render.Device(withoutUpdatedAt(old)), render.Device(withoutUpdatedAt(updated))) {
				return nil
			}
			return deviceChange(old.IsOnline, updated.IsOnline, old.IsEndOfLife, updated.IsEndOfLife)
		}
		return updateMany(ctx, next, m, kindDevice, load, classify)

	case m.Op().Is(entgo.OpDeleteOne | entgo.OpDelete):
		orgs := func(ctx context.Context, ids []string) ([]*ent.Device, error) {
			return m.Client().Device.Query().Where(device.IDIn(ids...)).Select(device.FieldID, device.FieldOrgID).All(ctx)
		}
		return deleteMany(ctx, next, m, kindDevice, DeviceDeleted, orgs)
	}
	return next.Mutate(ctx, m)
}

// deviceChange names the events of a device update that changed something:
// device.updated, plus device.offline when it went from online to offline
// and device.end_of_life when it became end-of-life.
func deviceChange(wasOnline, online, wasEndOfLife, endOfLife bool) []string {
	names := []string{DeviceUpdated}
	if wasOnline && !online {
		names = append(names, DeviceOffline)
	}
	if !wasEndOfLife && endOfLife {
		names = append(names, DeviceEndOfLife)
	}
	return names
}

func touchpointEvents(ctx context.Context, next entgo.Mutator, m *ent.TouchpointMutation) (entgo.Value, error) {
	if !m.Op().Is(entgo.OpCreate) {
		return next.Mutate(ctx, m)
	}
	rowID, orgID := createdID(m)
	value, err := next.Mutate(ctx, m)
	if err != nil {
		return value, err
	}
	return value, enqueue(ctx, m, newEvent(kindTouchpoint, TouchpointCreated, orgID, rowID))
}

func taskEvents(ctx context.Context, next entgo.Mutator, m *ent.TaskMutation) (entgo.Value, error) {
	if !m.Op().Is(entgo.OpDeleteOne | entgo.OpDelete) {
		return next.Mutate(ctx, m)
	}
	orgs := func(ctx context.Context, ids []string) ([]*ent.Task, error) {
		return m.Client().Task.Query().Where(task.IDIn(ids...)).Select(task.FieldID, task.FieldOrgID).All(ctx)
	}
	return deleteMany(ctx, next, m, kindTask, TaskDeleted, orgs)
}
