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
	"github.com/breadbox/breadbox/internal/webhook"
)

// Contact is a person, linked to any number of accounts. Editing a contact's
// email changes it for every account the contact is linked to.
type Contact struct{ ent.Schema }

// Mixin of the Contact.
func (Contact) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Contact}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.ContactsRead, Write: auth.ContactsWrite}}}
}

// Fields of the Contact.
func (Contact) Fields() []ent.Field {
	return []ent.Field{
		nameField("first_name", entgql.OrderField("FIRST_NAME")),
		field.String("last_name").Default("").MaxRuneLen(255).
			Annotations(entgql.OrderField("LAST_NAME")),
		field.String("email").Optional().Nillable().MaxRuneLen(320).
			Annotations(entgql.OrderField("EMAIL")),
		field.String("email_key").Optional().Nillable().
			Annotations(entgql.Skip()).
			Comment("The email in lower case; unique per org, so two spellings of one address are one contact."),
		field.String("phone").Optional().Nillable().MaxRuneLen(64),
		textField("title"),
	}
}

// Edges of the Contact.
func (Contact) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("accounts", Account.Type).
			Ref("contacts").
			Through("account_links", AccountContact.Type).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.From("deals", Deal.Type).
			Ref("contacts").
			Through("deal_links", DealContact.Type).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("touchpoints", Touchpoint.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Contact.
func (Contact) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "email_key").Unique(),
		index.Fields("org_id", "created_at"),
	}
}

// Annotations of the Contact.
func (Contact) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the Contact.
func (Contact) Hooks() []ent.Hook {
	return []ent.Hook{rules.ContactEmail(), webhook.EventHook()}
}
