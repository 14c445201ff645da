package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/icp"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/tenant"
)

// Lead is an unqualified prospect, scored against the org's ideal customer
// profile (ICP).
type Lead struct{ ent.Schema }

// Mixin of the Lead.
func (Lead) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Lead}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.LeadsRead, Write: auth.LeadsWrite}}}
}

// Fields of the Lead.
func (Lead) Fields() []ent.Field {
	return []ent.Field{
		nameField("company_name", entgql.OrderField("COMPANY_NAME")),
		textField("contact_name"),
		field.String("email").Optional().Nillable().MaxRuneLen(320),
		field.String("phone").Optional().Nillable().MaxRuneLen(64),
		textField("industry"),
		field.Int("employee_count").Optional().Nillable().Min(0),
		field.Int("it_staff_count").Optional().Nillable().Min(0),
		field.Enum("source").Values("REFERRAL", "WEBSITE", "EVENT", "OUTBOUND", "PARTNER", "OTHER").Default("OTHER"),
		field.Enum("status").Values("NEW", "WORKING", "QUALIFIED", "DISQUALIFIED", "CONVERTED").Default("NEW"),
		field.String("owner_id").Optional().Nillable(),
		field.Int("icp_score").Default(0).Range(0, 100).
			Annotations(entgql.OrderField("ICP_SCORE"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.JSON("icp_breakdown", []map[string]any{}).Optional().
			Annotations(entgql.Skip()),
		field.String("converted_account_id").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("converted_contact_id").Optional().Nillable().
			Comment("The contact the conversion created or linked; empty when the lead had neither a contact name nor an email.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the Lead.
func (Lead) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("owner", User.Type).Field("owner_id").Unique(),
	}
}

// Annotations of the Lead.
func (Lead) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the Lead guard the CONVERTED status and recompute the ICP score
// on every write.
func (Lead) Hooks() []ent.Hook {
	return []ent.Hook{rules.LeadStatus(), icp.Hook()}
}
