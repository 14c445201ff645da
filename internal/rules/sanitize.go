// Package rules holds the ent hooks that carry the business rules every entry
// point must obey (REST, GraphQL, bulk and CLI writes alike): text hygiene,
// timestamp precision, task completion, deal stage moves, primary contacts,
// note targets and the default pipeline of a new org.
//
// NOTE: hooks read stored values through the mutation (OldStage, OldField).
// ent's UpdateOne(entity) takes those from the entity passed in, which may be
// stale, so callers update by ID with UpdateOneID.
package rules

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/internal/apierr"
)

// Sanitize rejects text that contains a NUL character (PostgreSQL cannot
// store it and SQLite would truncate at it) and truncates every timestamp to
// UTC milliseconds, so a value read back equals the value written on both
// databases.
func Sanitize() entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			for _, name := range m.Fields() {
				value, _ := m.Field(name)
				if err := sanitizeField(m, name, value); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

func sanitizeField(m entgo.Mutation, name string, value entgo.Value) error {
	switch typed := value.(type) {
	case string:
		if strings.ContainsRune(typed, 0) {
			return apierr.Invalid(apierr.JSONName(name), "must not contain a NUL character")
		}
	case []string:
		for _, item := range typed {
			if strings.ContainsRune(item, 0) {
				return apierr.Invalid(apierr.JSONName(name), "must not contain a NUL character")
			}
		}
	case map[string]any, []any:
		// JSON fields such as a signal's details: PostgreSQL's jsonb
		// cannot store the NUL character either.
		if ContainsNUL(typed) {
			return apierr.Invalid(apierr.JSONName(name), `must not contain a NUL character (\u0000) in a key or value`)
		}
	case time.Time:
		truncated := typed.UTC().Truncate(time.Millisecond)
		if !truncated.Equal(typed) || typed.Location() != time.UTC {
			if err := m.SetField(name, truncated); err != nil {
				return fmt.Errorf("truncating %s: %w", name, err)
			}
		}
	}
	return nil
}

// ContainsNUL reports whether a decoded JSON value contains a NUL character
// in a string or an object key.
func ContainsNUL(value any) bool {
	switch typed := value.(type) {
	case string:
		return strings.ContainsRune(typed, 0)
	case []any:
		return slices.ContainsFunc(typed, ContainsNUL)
	case map[string]any:
		for key, item := range typed {
			if strings.ContainsRune(key, 0) || ContainsNUL(item) {
				return true
			}
		}
	}
	return false
}
