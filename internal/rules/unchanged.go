package rules

import (
	"context"
	"fmt"
	"reflect"
	"time"

	entgo "entgo.io/ent"
)

// ChangedFields returns the fields an update-one mutation really changes:
// those set to a value that differs from the stored one, and those cleared
// while they held a value. updated_at is never reported. For other operations
// it returns every field the mutation sets or clears.
func ChangedFields(ctx context.Context, m entgo.Mutation) ([]string, error) {
	var changed []string
	if !m.Op().Is(entgo.OpUpdateOne) {
		for _, name := range m.Fields() {
			if name != "updated_at" {
				changed = append(changed, name)
			}
		}
		return append(changed, m.ClearedFields()...), nil
	}

	for _, name := range m.Fields() {
		if name == "updated_at" {
			continue
		}
		value, _ := m.Field(name)
		old, err := m.OldField(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("reading the stored %s: %w", name, err)
		}
		if !sameValue(value, old) {
			changed = append(changed, name)
		}
	}
	for _, name := range m.ClearedFields() {
		old, err := m.OldField(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("reading the stored %s: %w", name, err)
		}
		if !isNil(old) {
			changed = append(changed, name)
		}
	}
	return changed, nil
}

// KeepUpdatedAtOnNoop leaves updatedAt alone when an update changes no field
// and no edge, so updatedAt moves on every write that changes something, and
// only then. On create it sets updatedAt to createdAt.
func KeepUpdatedAtOnNoop() entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			if m.Op().Is(entgo.OpCreate) {
				alignDefaultTimes(m)
				return next.Mutate(ctx, m)
			}
			if !m.Op().Is(entgo.OpUpdateOne) || len(m.AddedEdges())+len(m.RemovedEdges())+len(m.ClearedEdges()) > 0 {
				return next.Mutate(ctx, m)
			}
			if _, touched := m.Field("updated_at"); !touched {
				return next.Mutate(ctx, m)
			}
			changed, err := ChangedFields(ctx, m)
			if err != nil {
				return nil, err
			}
			if len(changed) == 0 {
				// With nothing left to set, ent skips the UPDATE and reads
				// the row back by ID alone, without the mutation's tenant
				// filter. Reading the stored row through the client applies
				// that filter, so another org's record stays not found.
				if _, err := m.OldField(ctx, "updated_at"); err != nil {
					return nil, err
				}
				m.ResetField("updated_at")
			}
			return next.Mutate(ctx, m)
		})
	}
}

func isNil(value entgo.Value) bool {
	if value == nil {
		return true
	}
	reflected := reflect.ValueOf(value)
	switch reflected.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return reflected.IsNil()
	}
	return false
}

// sameValue compares a new field value with the stored one, looking through
// pointers, treating empty and nil lists alike and comparing times as instants.
func sameValue(value, old entgo.Value) bool {
	value, old = deref(value), deref(old)
	if value == nil || old == nil {
		return value == nil && old == nil
	}
	if newTime, ok := value.(time.Time); ok {
		oldTime, ok := old.(time.Time)
		return ok && newTime.Equal(oldTime)
	}
	newValue, oldValue := reflect.ValueOf(value), reflect.ValueOf(old)
	if newValue.Kind() == reflect.Slice && oldValue.Kind() == reflect.Slice && newValue.Len() == 0 && oldValue.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(value, old)
}

func deref(value entgo.Value) entgo.Value {
	for value != nil {
		reflected := reflect.ValueOf(value)
		if reflected.Kind() != reflect.Pointer {
			return value
		}
		if reflected.IsNil() {
			return nil
		}
		value = reflected.Elem().Interface()
	}
	return nil
}

// alignDefaultTimes gives a new record one creation time. The defaults of
// createdAt and updatedAt read the clock one after the other, so they can
// fall on two milliseconds. A gap of a few milliseconds can only come from
// that. A caller that sets updatedAt itself (seeding, imports) sets a time
// further apart, which is kept.
func alignDefaultTimes(m entgo.Mutation) {
	created, createdSet := m.Field("created_at")
	updated, updatedSet := m.Field("updated_at")
	if !createdSet || !updatedSet {
		return
	}
	createdAt, isTime := created.(time.Time)
	updatedAt, alsoTime := updated.(time.Time)
	if isTime && alsoTime && updatedAt.Sub(createdAt).Abs() < 10*time.Millisecond {
		_ = m.SetField("updated_at", createdAt)
	}
}
