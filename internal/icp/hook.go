package icp

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/hook"
	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/internal/auth"
)

// Hook returns the ent hook that sets Lead.icp_score and Lead.icp_breakdown
// on every create and update of a lead, from the lead's values after the
// write and the targets of its org, read through the mutation's client. A
// value the writer sets for either field is overwritten. An update of many
// leads by predicate rescores each of them after the write, in the same
// transaction when the write runs in one.
func Hook() entgo.Hook {
	return hook.On(func(next entgo.Mutator) entgo.Mutator {
		return hook.LeadFunc(func(ctx context.Context, m *ent.LeadMutation) (entgo.Value, error) {
			if skip, _ := ctx.Value(skipHookKey{}).(bool); skip {
				return next.Mutate(ctx, m)
			}
			if m.Op().Is(entgo.OpUpdate) {
				return rescoreAfter(ctx, next, m)
			}
			if err := scoreMutation(ctx, m); err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		})
	}, entgo.OpCreate|entgo.OpUpdate|entgo.OpUpdateOne)
}

// skipHookKey marks a context whose lead writes already carry their score.
type skipHookKey struct{}

func withoutHook(ctx context.Context) context.Context {
	return context.WithValue(ctx, skipHookKey{}, true)
}

// scoreMutation sets the score of a create or a single-lead update.
func scoreMutation(ctx context.Context, m *ent.LeadMutation) error {
	scope := callerScope(ctx)
	creating := m.Op().Is(entgo.OpCreate)

	orgID, err := mutationOrg(ctx, scope, m)
	if err != nil {
		return err
	}
	targets, err := LoadTargets(ctx, m.Client(), orgID)
	if err != nil {
		return err
	}

	var prospect Lead
	if prospect.Industry, err = valueAfter(m.Industry, m.IndustryCleared(), m.OldIndustry, scope, creating); err != nil {
		return fmt.Errorf("reading the lead's industry: %w", err)
	}
	if prospect.EmployeeCount, err = valueAfter(m.EmployeeCount, m.EmployeeCountCleared(), m.OldEmployeeCount, scope, creating); err != nil {
		return fmt.Errorf("reading the lead's employee count: %w", err)
	}
	if prospect.ITStaffCount, err = valueAfter(m.ItStaffCount, m.ItStaffCountCleared(), m.OldItStaffCount, scope, creating); err != nil {
		return fmt.Errorf("reading the lead's IT staff count: %w", err)
	}
	source, set := m.Source()
	switch {
	case set:
		prospect.Source = source
	case creating:
		prospect.Source = lead.DefaultSource
	default:
		if prospect.Source, err = m.OldSource(scope); err != nil {
			return fmt.Errorf("reading the lead's source: %w", err)
		}
	}

	result := Score(prospect, targets)
	m.SetIcpScore(result.Score)
	m.SetIcpBreakdown(breakdownJSON(result.Breakdown))
	return nil
}

// valueAfter returns a nillable field's value after the write: the value the
// mutation sets, nil when it clears the field, or else the stored value.
func valueAfter[T any](set func() (T, bool), cleared bool, old func(context.Context) (*T, error), ctx context.Context, creating bool) (*T, error) {
	if value, ok := set(); ok {
		return &value, nil
	}
	if cleared || creating {
		return nil, nil
	}
	return old(ctx)
}

// mutationOrg returns the org of the lead being written.
func mutationOrg(ctx, scope context.Context, m *ent.LeadMutation) (string, error) {
	if orgID, ok := m.OrgID(); ok {
		return orgID, nil
	}
	if m.Op().Is(entgo.OpCreate) {
		// The tenant hook stamps org_id from the principal; when this hook
		// runs first the principal is the only source.
		if principal := auth.FromContext(ctx); principal != nil && principal.OrgID != "" {
			return principal.OrgID, nil
		}
		return "", fmt.Errorf("creating a lead: no org in the context and none named")
	}
	orgID, err := m.OldOrgID(scope)
	if err != nil {
		return "", fmt.Errorf("reading the lead's org: %w", err)
	}
	return orgID, nil
}

// rescoreAfter runs an update of many leads and then rescores each of them.
func rescoreAfter(ctx context.Context, next entgo.Mutator, m *ent.LeadMutation) (entgo.Value, error) {
	scope := callerScope(ctx)
	ids, err := m.IDs(scope)
	if err != nil {
		return nil, fmt.Errorf("listing the leads being updated: %w", err)
	}

	value, err := next.Mutate(ctx, m)
	if err != nil || len(ids) == 0 {
		return value, err
	}

	client := m.Client()
	leads, err := client.Lead.Query().Where(lead.IDIn(ids...)).All(scope)
	if err != nil {
		return nil, fmt.Errorf("loading the updated leads: %w", err)
	}
	targetsByOrg := make(map[string]Targets)
	for _, stored := range leads {
		targets, loaded := targetsByOrg[stored.OrgID]
		if !loaded {
			if targets, err = LoadTargets(auth.SystemContext(ctx, stored.OrgID), client, stored.OrgID); err != nil {
				return nil, err
			}
			targetsByOrg[stored.OrgID] = targets
		}
		if err := storeScore(auth.SystemContext(ctx, stored.OrgID), client, stored, targets); err != nil {
			return nil, err
		}
	}
	return value, nil
}

// callerScope returns a context that acts as the system inside the caller's
// org, so reading a lead's stored values needs no leads:read scope. With no
// principal or an org-less system principal it reads every org.
func callerScope(ctx context.Context) context.Context {
	principal := auth.FromContext(ctx)
	if principal == nil || principal.OrgID == "" {
		return auth.WithPrincipal(ctx, &auth.Principal{System: true})
	}
	return auth.SystemContext(ctx, principal.OrgID)
}
