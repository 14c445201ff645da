package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/tenant"
)

// Org is an MSP using Breadbox: the tenant that owns every other row.
type Org struct{ ent.Schema }

// Mixin of the Org.
func (Org) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Org}, TimeMixin{}}
}

// Fields of the Org.
func (Org) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxRuneLen(255),
		field.Enum("plan").
			Values("STARTER", "GROWTH", "SCALE", "PRO", "ENTERPRISE").
			Default("GROWTH"),
		field.Int("rate_limit_per_key").
			Optional().Nillable().
			Comment("Per-key requests per minute; empty means the plan's default."),
		field.Int("rate_limit_per_org").
			Optional().Nillable().
			Comment("Org-wide requests per minute; empty means the plan's default."),
		field.JSON("settings", map[string]any{}).
			Optional().
			Annotations(entgql.Skip()).
			Comment("Churn-risk weights and cut-offs, ICP targets and other per-org settings."),
	}
}

// Annotations of the Org.
func (Org) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

// Hooks of the Org.
func (Org) Hooks() []ent.Hook {
	return []ent.Hook{rules.Sanitize(), rules.OrgPipeline()}
}

// Policy of the Org: a principal sees only its own org, and only the system
// changes orgs.
func (Org) Policy() ent.Policy {
	return tenant.OrgPolicy()
}
