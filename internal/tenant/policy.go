// Package tenant enforces tenancy and scopes below the transports: ent privacy
// policies filter every query and mutation by the caller's org and check the
// entity type's scope, and hooks stamp the org on every create and reject
// references to records of other orgs. REST, GraphQL, bulk and CLI writes all
// pass through them.
package tenant

import (
	"context"

	"entgo.io/ent/entql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/privacy"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
)

// Guard names the scopes that protect an entity type. An empty Read lets any
// principal of the org read; an empty Write lets only the system write.
type Guard struct {
	Read  auth.Scope
	Write auth.Scope
}

// Policy returns the privacy policy of a tenant-owned entity type.
func Policy(guard Guard) ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			denyWithoutPrincipal(),
			requireScope(guard.Read, true),
			filterByOrg("org_id"),
		},
		Mutation: privacy.MutationPolicy{
			denyWithoutPrincipal(),
			requireScope(guard.Write, false),
			filterByOrg("org_id"),
		},
	}
}

// OrgPolicy returns the privacy policy of the Org entity: a principal sees its
// own org only, and only the system changes orgs.
func OrgPolicy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			denyWithoutPrincipal(),
			filterByOrg("id"),
		},
		Mutation: privacy.MutationPolicy{
			denyWithoutPrincipal(),
			requireScope("", false),
			filterByOrg("id"),
		},
	}
}

func denyWithoutPrincipal() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if auth.FromContext(ctx) == nil {
			return apierr.New(apierr.Unauthorized, "a valid API key is required")
		}
		return privacy.Skip
	})
}

// requireScope denies a principal that lacks the scope. An empty scope means
// "any principal" for reads and "the system only" for writes.
func requireScope(scope auth.Scope, read bool) privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		principal := auth.FromContext(ctx)
		switch {
		case principal.System:
			return privacy.Skip
		case scope == "" && read:
			return privacy.Skip
		case scope == "":
			return apierr.New(apierr.InsufficientScope, "this record can only be changed by an administrator")
		case principal.Grants(scope):
			return privacy.Skip
		}
		return apierr.MissingScope(string(scope))
	})
}

// filterByOrg narrows every query, update and delete to the principal's org, so
// a record of another org is indistinguishable from a missing one. A system
// principal without an org (maintenance jobs) is not narrowed.
func filterByOrg(column string) privacy.QueryMutationRule {
	type orgFilter interface {
		WhereOrgID(entql.StringP)
	}
	type idFilter interface {
		WhereID(entql.StringP)
	}

	return privacy.FilterFunc(func(ctx context.Context, filter privacy.Filter) error {
		principal := auth.FromContext(ctx)
		if principal.System && principal.OrgID == "" {
			return privacy.Skip
		}

		switch column {
		case "id":
			f, ok := filter.(idFilter)
			if !ok {
				return privacy.Denyf("filter %T has no id predicate", filter)
			}
			f.WhereID(entql.StringEQ(principal.OrgID))
		default:
			f, ok := filter.(orgFilter)
			if !ok {
				return privacy.Denyf("filter %T has no org_id predicate", filter)
			}
			f.WhereOrgID(entql.StringEQ(principal.OrgID))
		}
		return privacy.Skip
	})
}

// SystemOnlyPolicy returns the privacy policy of infrastructure tables such as
// idempotency records: only the system reads or writes them.
func SystemOnlyPolicy() ent.Policy {
	systemOnly := privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if principal := auth.FromContext(ctx); principal != nil && principal.System {
			return privacy.Allow
		}
		return privacy.Denyf("only the system may access this table")
	})
	return privacy.Policy{
		Query:    privacy.QueryPolicy{systemOnly},
		Mutation: privacy.MutationPolicy{systemOnly},
	}
}
