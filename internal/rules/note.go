package rules

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/hook"
	"github.com/breadbox/breadbox/ent/note"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/tenant"
)

// notePrefixes gives the ID prefix of each note target type.
var notePrefixes = map[note.ObjectType]string{
	note.ObjectTypeACCOUNT:  id.Account,
	note.ObjectTypeDEAL:     id.Deal,
	note.ObjectTypeCONTRACT: id.Contract,
	note.ObjectTypeLEAD:     id.Lead,
	note.ObjectTypeCONTACT:  id.Contact,
}

// NoteTarget checks that a new note's objectId names a record of objectType
// that exists in the org.
func NoteTarget() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.NoteFunc(func(ctx context.Context, m *ent.NoteMutation) (entgo.Value, error) {
			objectType, _ := m.ObjectType()
			objectID, _ := m.ObjectID()
			orgID, _ := m.OrgID()

			prefix, ok := notePrefixes[objectType]
			if !ok {
				return nil, apierr.Invalid("objectType", "must be one of ACCOUNT, DEAL, CONTRACT, LEAD, CONTACT")
			}
			if !id.HasPrefix(objectID, prefix) {
				return nil, apierr.Invalid("objectId", "must be the ID of a %s (starting with %s_), got %q", objectType, prefix, objectID)
			}

			found, err := tenant.ExistingIDs(ctx, m.Client(), orgID, []string{objectID})
			if err != nil {
				return nil, fmt.Errorf("checking the note's target: %w", err)
			}
			if len(found) == 0 {
				return nil, apierr.Invalid("objectId", "refers to %s, which was not found in this org", objectID)
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate)
}
