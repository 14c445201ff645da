package tenant

import (
	"context"
	"fmt"
	"slices"

	entgo "entgo.io/ent"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/complianceitem"
	"github.com/breadbox/breadbox/ent/contact"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/deal"
	"github.com/breadbox/breadbox/ent/device"
	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/ent/note"
	"github.com/breadbox/breadbox/ent/pipelinestage"
	"github.com/breadbox/breadbox/ent/privacy"
	"github.com/breadbox/breadbox/ent/site"
	"github.com/breadbox/breadbox/ent/task"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/ent/user"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
)

// StampOrg sets org_id on every create from the principal. A create that names
// another org is rejected; the system may create in any org it names.
func StampOrg() entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			if !m.Op().Is(entgo.OpCreate) {
				return next.Mutate(ctx, m)
			}

			principal := auth.FromContext(ctx)
			value, named := m.Field("org_id")
			switch {
			case principal == nil || principal.OrgID == "":
				if !named {
					return nil, fmt.Errorf("creating %s: no org in the context and none named", m.Type())
				}
			case named && value != principal.OrgID:
				return nil, apierr.NotFoundf("the org was not found")
			default:
				if err := m.SetField("org_id", principal.OrgID); err != nil {
					return nil, fmt.Errorf("stamping the org of %s: %w", m.Type(), err)
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

// edgePrefixes gives the ID prefix each edge name must point to, so a device ID
// passed as an accountId is a validation error rather than a database error.
var edgePrefixes = map[string]string{
	"account":         id.Account,
	"accounts":        id.Account,
	"parent":          id.Account,
	"children":        id.Account,
	"contact":         id.Contact,
	"contacts":        id.Contact,
	"deal":            id.Deal,
	"deals":           id.Deal,
	"site":            id.Site,
	"contract":        id.Contract,
	"owner":           id.User,
	"assignee":        id.User,
	"author":          id.User,
	"account_manager": id.User,
	"sales_rep":       id.User,
}

// edgeFields gives the API field that sets each edge, for error paths.
var edgeFields = map[string]string{
	"account":         "accountId",
	"parent":          "parentAccountId",
	"contact":         "contactId",
	"deal":            "dealId",
	"site":            "siteId",
	"contract":        "contractId",
	"owner":           "ownerId",
	"assignee":        "assigneeId",
	"author":          "authorId",
	"account_manager": "accountManagerId",
	"sales_rep":       "salesRepId",
}

type checkedKey struct{}

// checkedReferences is a set of IDs a caller already proved to exist in one
// org, with one query for a whole batch.
type checkedReferences struct {
	orgID string
	ids   map[string]struct{}
}

// WithCheckedReferences returns a context in which CheckReferences trusts the
// given IDs for the org without querying them again, so a bulk write of 500
// rows costs one lookup per referenced type instead of one per row. Only
// server code can put values in a context, so clients cannot use it to skip
// the check.
func WithCheckedReferences(ctx context.Context, orgID string, ids []string) context.Context {
	set := make(map[string]struct{}, len(ids))
	for _, refID := range ids {
		set[refID] = struct{}{}
	}
	return context.WithValue(ctx, checkedKey{}, checkedReferences{orgID: orgID, ids: set})
}

// CheckReferences rejects a create or update that links a record of another
// org, a missing record, or an ID of the wrong type. The lookup bypasses scopes
// (a key that may write deals may point one at an account it cannot read) but
// never the org.
func CheckReferences() entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			if !m.Op().Is(entgo.OpCreate | entgo.OpUpdate | entgo.OpUpdateOne) {
				return next.Mutate(ctx, m)
			}
			clienter, ok := m.(interface{ Client() *ent.Client })
			if !ok {
				return next.Mutate(ctx, m)
			}

			orgID := orgOf(ctx, m)
			for _, edge := range m.AddedEdges() {
				if edge == "org" {
					continue
				}
				if err := checkEdge(ctx, clienter.Client(), orgID, edge, m.AddedIDs(edge)); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

// orgOf returns the org a mutation writes into.
func orgOf(ctx context.Context, m entgo.Mutation) string {
	if value, ok := m.Field("org_id"); ok {
		if orgID, ok := value.(string); ok {
			return orgID
		}
	}
	if principal := auth.FromContext(ctx); principal != nil {
		return principal.OrgID
	}
	return ""
}

func checkEdge(ctx context.Context, client *ent.Client, orgID, edge string, values []entgo.Value) error {
	field := edgeFields[edge]
	if field == "" {
		field = apierr.JSONName(edge)
	}

	ids := make([]string, 0, len(values))
	for _, value := range values {
		refID, ok := value.(string)
		if !ok {
			return fmt.Errorf("edge %s has a non-string ID %v", edge, value)
		}
		if want, ok := edgePrefixes[edge]; ok && !id.HasPrefix(refID, want) {
			return apierr.Invalid(field, "must be an ID starting with %s_, got %q", want, refID)
		}
		ids = append(ids, refID)
	}
	if checked, ok := ctx.Value(checkedKey{}).(checkedReferences); ok && checked.orgID == orgID {
		unchecked := ids[:0]
		for _, refID := range ids {
			if _, known := checked.ids[refID]; !known {
				unchecked = append(unchecked, refID)
			}
		}
		ids = unchecked
	}
	if len(ids) == 0 {
		return nil
	}

	found, err := ExistingIDs(ctx, client, orgID, ids)
	if err != nil {
		return fmt.Errorf("checking the %s references: %w", edge, err)
	}
	for _, refID := range ids {
		if !slices.Contains(found, refID) {
			return apierr.Invalid(field, "refers to %s, which was not found in this org", refID)
		}
	}
	return nil
}

// ExistingIDs returns those of ids that exist in the org. The IDs may be of
// mixed types; an ID with an unknown prefix is simply not found.
func ExistingIDs(ctx context.Context, client *ent.Client, orgID string, ids []string) ([]string, error) {
	ctx = privacy.DecisionContext(ctx, privacy.Allow)

	byPrefix := make(map[string][]string)
	for _, refID := range ids {
		byPrefix[id.Prefix(refID)] = append(byPrefix[id.Prefix(refID)], refID)
	}

	var found []string
	for prefix, group := range byPrefix {
		lookup, ok := lookups[prefix]
		if !ok {
			continue
		}
		existing, err := lookup(ctx, client, orgID, group)
		if err != nil {
			return nil, err
		}
		found = append(found, existing...)
	}
	return found, nil
}

type lookupFunc func(ctx context.Context, client *ent.Client, orgID string, ids []string) ([]string, error)

// lookups finds the IDs of one entity type that exist in an org.
var lookups = map[string]lookupFunc{
	id.Account: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Account.Query().Where(account.OrgID(org), account.IDIn(ids...)).IDs(ctx)
	},
	id.Contact: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Contact.Query().Where(contact.OrgID(org), contact.IDIn(ids...)).IDs(ctx)
	},
	id.Deal: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Deal.Query().Where(deal.OrgID(org), deal.IDIn(ids...)).IDs(ctx)
	},
	id.Site: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Site.Query().Where(site.OrgID(org), site.IDIn(ids...)).IDs(ctx)
	},
	id.Contract: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Contract.Query().Where(contract.OrgID(org), contract.IDIn(ids...)).IDs(ctx)
	},
	id.User: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.User.Query().Where(user.OrgID(org), user.IDIn(ids...)).IDs(ctx)
	},
	id.Device: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Device.Query().Where(device.OrgID(org), device.IDIn(ids...)).IDs(ctx)
	},
	id.Task: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Task.Query().Where(task.OrgID(org), task.IDIn(ids...)).IDs(ctx)
	},
	id.Note: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Note.Query().Where(note.OrgID(org), note.IDIn(ids...)).IDs(ctx)
	},
	id.Touchpoint: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Touchpoint.Query().Where(touchpoint.OrgID(org), touchpoint.IDIn(ids...)).IDs(ctx)
	},
	id.Lead: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.Lead.Query().Where(lead.OrgID(org), lead.IDIn(ids...)).IDs(ctx)
	},
	id.ComplianceItem: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.ComplianceItem.Query().Where(complianceitem.OrgID(org), complianceitem.IDIn(ids...)).IDs(ctx)
	},
	id.PipelineStage: func(ctx context.Context, c *ent.Client, org string, ids []string) ([]string, error) {
		return c.PipelineStage.Query().Where(pipelinestage.OrgID(org), pipelinestage.IDIn(ids...)).IDs(ctx)
	},
}
