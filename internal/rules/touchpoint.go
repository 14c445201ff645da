package rules

import (
	"context"
	"time"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/hook"
	"github.com/breadbox/breadbox/internal/apierr"
)

// MaxTouchpointSkew is how far in the future a touchpoint's occurredAt may
// be, for a caller whose clock runs ahead.
const MaxTouchpointSkew = 5 * time.Minute

// TouchpointInPast rejects a touchpoint that occurs more than
// MaxTouchpointSkew in the future, and stores one within the skew as
// occurring now, as a signal push does. A touchpoint records contact that
// took place. A future one would count as contact today and hide an
// account's silence from the churn risk until that date. One a few seconds
// ahead would be left out of the recalculation it triggers.
func TouchpointInPast() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.TouchpointFunc(func(ctx context.Context, m *ent.TouchpointMutation) (entgo.Value, error) {
			if occurredAt, set := m.OccurredAt(); set {
				current := now()
				switch {
				case occurredAt.After(current.Add(MaxTouchpointSkew)):
					return nil, apierr.Invalid("occurredAt", "must not be more than %s in the future, got %s; log a touchpoint once it took place",
						MaxTouchpointSkew, occurredAt.UTC().Format(time.RFC3339))
				case occurredAt.After(current):
					m.SetOccurredAt(current)
				}
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate|entgo.OpUpdateOne|entgo.OpUpdate)
}
