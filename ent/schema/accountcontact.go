package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/tenant"
)

// AccountContact is the link between an account and a contact, with the
// contact's role at that account.
type AccountContact struct{ ent.Schema }

// Mixin of the AccountContact.
func (AccountContact) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.AccountContact}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.ContactsRead, Write: auth.ContactsWrite}}}
}

// Fields of the AccountContact.
func (AccountContact) Fields() []ent.Field {
	return []ent.Field{
		field.String("account_id"),
		field.String("contact_id"),
		field.String("role").Optional().Nillable().MaxRuneLen(255).Comment("Free text, such as Budget owner or Technical contact."),
		field.Bool("is_primary").Default(false).Comment("At most one primary contact per account."),
		field.Enum("influence").Values("CHAMPION", "DECISION_MAKER", "GATEKEEPER", "DETRACTOR").Optional().Nillable(),
	}
}

// Edges of the AccountContact.
func (AccountContact) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("account", Account.Type).Field("account_id").Unique().Required(),
		edge.To("contact", Contact.Type).Field("contact_id").Unique().Required(),
	}
}

// Indexes of the AccountContact.
func (AccountContact) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "contact_id").Unique(),
		index.Fields("contact_id"),
	}
}

// Annotations of the AccountContact.
func (AccountContact) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the AccountContact keep one primary contact per account and queue
// a churn-risk recalculation when a link or its influence changes.
func (AccountContact) Hooks() []ent.Hook {
	return []ent.Hook{rules.SinglePrimaryAccountContact(), trigger.Hook()}
}
