package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/privacy"
	"github.com/breadbox/breadbox/internal/rules"
)

// EventHook returns the ent hook that records the webhook events of writes to
// accounts, contacts, deals, devices, touchpoints and tasks, in the
// transaction of the write. Register it last in the Hooks of those schemas, so
// it receives each mutation after the other rules changed it.
//
// Creates fire <type>.created. An update fires only when it changes a field:
// account.updated (account.deleted when the lifecycle moves to CHURNED),
// contact.updated, deal.stage_changed, deal.closed_won or deal.closed_lost
// when the stage moves, device.updated plus device.offline and
// device.end_of_life on those transitions. Hard deletes of accounts, devices
// and tasks fire <type>.deleted with {"id", "hardDeleted": true}. A create in
// a context from WithStoredRows whose ID is a stored row counts as an update
// of that row.
func EventHook() entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			switch m := m.(type) {
			case *ent.AccountMutation:
				return accountEvents(ctx, next, m)
			case *ent.ContactMutation:
				return contactEvents(ctx, next, m)
			case *ent.DealMutation:
				return dealEvents(ctx, next, m)
			case *ent.DeviceMutation:
				return deviceEvents(ctx, next, m)
			case *ent.TouchpointMutation:
				return touchpointEvents(ctx, next, m)
			case *ent.TaskMutation:
				return taskEvents(ctx, next, m)
			default:
				return next.Mutate(ctx, m)
			}
		})
	}
}

// storedRowsKey carries the rows an upsert may overwrite.
type storedRowsKey struct{}

// WithStoredRows returns a context for a CreateBulk … OnConflict upsert of
// rows that may already exist. stored contains those rows as they were before
// the write, under any key, because the hook matches them by ID. EventHook
// reports a create of one of these IDs as an update of the stored row.
func WithStoredRows[K comparable, R *ent.Account | *ent.Contact | *ent.Device](ctx context.Context, stored map[K]R) context.Context {
	byID := make(map[string]any, len(stored))
	for _, row := range stored {
		switch row := any(row).(type) {
		case *ent.Account:
			byID[row.ID] = row
		case *ent.Contact:
			byID[row.ID] = row
		case *ent.Device:
			byID[row.ID] = row
		}
	}
	return context.WithValue(ctx, storedRowsKey{}, byID)
}

// storedRow returns the stored row with the ID from WithStoredRows, or nil.
func storedRow[R *ent.Account | *ent.Contact | *ent.Device](ctx context.Context, rowID string) R {
	stored, _ := ctx.Value(storedRowsKey{}).(map[string]any)
	row, _ := stored[rowID].(R)
	return row
}

// allowed returns a context for the hook's own reads, which the write's
// privacy rules already cleared.
func allowed(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

func newEvent(kind resourceKind, name, orgID, resourceID string) pendingEvent {
	return pendingEvent{kind: kind, name: name, orgID: orgID, resourceID: resourceID}
}

// createdID returns the ID and org of a create, both set by defaults and
// tenant.StampOrg before this hook runs.
func createdID(m interface {
	ID() (string, bool)
	OrgID() (string, bool)
}) (string, string) {
	rowID, _ := m.ID()
	orgID, _ := m.OrgID()
	return rowID, orgID
}

// valueOr returns the value a mutation sets, or fallback when it sets none.
func valueOr[T any](set func() (T, bool), fallback T) T {
	if value, ok := set(); ok {
		return value
	}
	return fallback
}

// changes reports whether an update-one changes a field, or one of the
// named edges.
func changes(ctx context.Context, m entgo.Mutation, edges ...string) (bool, error) {
	changed, err := rules.ChangedFields(ctx, m)
	if err != nil {
		return false, err
	}
	if len(changed) > 0 {
		return true, nil
	}
	for _, edge := range edges {
		if slices.Contains(m.AddedEdges(), edge) || slices.Contains(m.RemovedEdges(), edge) || slices.Contains(m.ClearedEdges(), edge) {
			return true, nil
		}
	}
	return false, nil
}

// sameRendering reports whether two renderings are equal as JSON.
func sameRendering(a, b any) bool {
	first, errFirst := json.Marshal(a)
	second, errSecond := json.Marshal(b)
	return errFirst == nil && errSecond == nil && string(first) == string(second)
}

// row is the part of an entity the shared steps read.
type row interface {
	*ent.Account | *ent.Contact | *ent.Deal | *ent.Device | *ent.Task
}

// mutation is the part of a generated mutation the shared steps use.
type mutation interface {
	entgo.Mutation
	transactional
	IDs(ctx context.Context) ([]string, error)
}

func mutateUnlessErr(ctx context.Context, next entgo.Mutator, m entgo.Mutation, err error) (entgo.Value, error) {
	if err != nil {
		return nil, err
	}
	return next.Mutate(ctx, m)
}

func eventsOf(kind resourceKind, names []string, orgID, resourceID string) []pendingEvent {
	events := make([]pendingEvent, len(names))
	for i, name := range names {
		events[i] = newEvent(kind, name, orgID, resourceID)
	}
	return events
}

// updateMany records the events of an update by predicate: it loads the
// matching rows before and after the write and classifies each pair.
func updateMany[R row](ctx context.Context, next entgo.Mutator, m mutation, kind resourceKind,
	load func(ctx context.Context, ids []string) ([]R, error), classify func(old, updated R) []string,
) (entgo.Value, error) {
	ids, err := m.IDs(allowed(ctx))
	if err != nil {
		return nil, fmt.Errorf("listing the %ss to update: %w", kind, err)
	}
	if len(ids) == 0 {
		return next.Mutate(ctx, m)
	}
	before, err := load(allowed(ctx), ids)
	if err != nil {
		return nil, fmt.Errorf("loading the %ss to update: %w", kind, err)
	}

	value, err := next.Mutate(ctx, m)
	if err != nil {
		return value, err
	}

	after, err := load(allowed(ctx), ids)
	if err != nil {
		return nil, fmt.Errorf("loading the updated %ss: %w", kind, err)
	}
	old := make(map[string]R, len(before))
	for _, r := range before {
		old[idOf(r)] = r
	}
	var events []pendingEvent
	for _, updated := range after {
		if previous, ok := old[idOf(updated)]; ok {
			events = append(events, eventsOf(kind, classify(previous, updated), orgOf(updated), idOf(updated))...)
		}
	}
	return value, enqueue(ctx, m, events...)
}

// deleteMany records a hard-delete event for every row a delete removes.
func deleteMany[R row](ctx context.Context, next entgo.Mutator, m mutation, kind resourceKind, name string,
	load func(ctx context.Context, ids []string) ([]R, error),
) (entgo.Value, error) {
	ids, err := m.IDs(allowed(ctx))
	if err != nil {
		return nil, fmt.Errorf("listing the %ss to delete: %w", kind, err)
	}
	if len(ids) == 0 {
		return next.Mutate(ctx, m)
	}
	doomed, err := load(allowed(ctx), ids)
	if err != nil {
		return nil, fmt.Errorf("loading the %ss to delete: %w", kind, err)
	}

	value, err := next.Mutate(ctx, m)
	if err != nil {
		return value, err
	}

	events := make([]pendingEvent, 0, len(doomed))
	for _, r := range doomed {
		event := newEvent(kind, name, orgOf(r), idOf(r))
		event.hardDeleted = true
		events = append(events, event)
	}
	return value, enqueue(ctx, m, events...)
}

func idOf[R row](r R) string {
	switch r := any(r).(type) {
	case *ent.Account:
		return r.ID
	case *ent.Contact:
		return r.ID
	case *ent.Deal:
		return r.ID
	case *ent.Device:
		return r.ID
	case *ent.Task:
		return r.ID
	}
	return ""
}

func orgOf[R row](r R) string {
	switch r := any(r).(type) {
	case *ent.Account:
		return r.OrgID
	case *ent.Contact:
		return r.OrgID
	case *ent.Deal:
		return r.OrgID
	case *ent.Device:
		return r.OrgID
	case *ent.Task:
		return r.OrgID
	}
	return ""
}

// withoutUpdatedAt returns a copy of the row with updatedAt cleared, to
// compare renderings while ignoring the time of the write.
func withoutUpdatedAt[R *ent.Account | *ent.Contact | *ent.Device](r R) R {
	switch r := any(r).(type) {
	case *ent.Account:
		copied := *r
		copied.UpdatedAt = time.Time{}
		return any(&copied).(R)
	case *ent.Contact:
		copied := *r
		copied.UpdatedAt = time.Time{}
		return any(&copied).(R)
	case *ent.Device:
		copied := *r
		copied.UpdatedAt = time.Time{}
		return any(&copied).(R)
	}
	return r
}
