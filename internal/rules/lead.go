package rules

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/hook"
	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/internal/apierr"
)

// LeadStatus keeps CONVERTED for conversion: a lead becomes CONVERTED only
// together with the account it was converted into, and a converted lead's
// status never changes again, which would orphan that account.
func LeadStatus() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.LeadFunc(func(ctx context.Context, m *ent.LeadMutation) (entgo.Value, error) {
			status, changed := m.Status()
			if !changed {
				return next.Mutate(ctx, m)
			}
			_, converting := m.ConvertedAccountID()

			old := lead.StatusNEW
			if m.Op().Is(entgo.OpUpdateOne) {
				stored, err := m.OldStatus(ctx)
				if err != nil {
					return nil, fmt.Errorf("reading the lead's status: %w", err)
				}
				old = stored
			}

			switch {
			case status == old:
			case status == lead.StatusCONVERTED && !converting:
				return nil, apierr.Invalid("status", "cannot be set to CONVERTED; convert the lead instead (POST /leads/{id}/convert or the convertLead mutation)")
			case old == lead.StatusCONVERTED:
				return nil, apierr.Invalid("status", "cannot change on a CONVERTED lead")
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate|entgo.OpUpdateOne)
}
