package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/tenant"
)

// DealContact is the link between a deal and a contact involved in it.
type DealContact struct{ ent.Schema }

// Mixin of the DealContact.
func (DealContact) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.DealContact}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.DealsRead, Write: auth.DealsWrite}}}
}

// Fields of the DealContact.
func (DealContact) Fields() []ent.Field {
	return []ent.Field{
		field.String("deal_id"),
		field.String("contact_id"),
		textField("role"),
		field.Bool("is_primary").Default(false).Comment("At most one primary contact per deal."),
	}
}

// Edges of the DealContact.
func (DealContact) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("deal", Deal.Type).Field("deal_id").Unique().Required(),
		edge.To("contact", Contact.Type).Field("contact_id").Unique().Required(),
	}
}

// Indexes of the DealContact.
func (DealContact) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("deal_id", "contact_id").Unique(),
		index.Fields("contact_id"),
	}
}

// Annotations of the DealContact.
func (DealContact) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the DealContact.
func (DealContact) Hooks() []ent.Hook {
	return []ent.Hook{rules.SinglePrimaryDealContact()}
}
