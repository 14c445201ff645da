package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/tenant"
)

// Site is a location of an account.
type Site struct{ ent.Schema }

// Mixin of the Site.
func (Site) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Site}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.AccountsRead, Write: auth.AccountsWrite}}}
}

// Fields of the Site.
func (Site) Fields() []ent.Field {
	return []ent.Field{
		field.String("account_id").Immutable(),
		nameField("name", entgql.OrderField("NAME")),
		textField("address_line1"),
		textField("address_line2"),
		textField("city"),
		textField("region"),
		field.String("postal_code").Optional().Nillable().MaxRuneLen(32),
		field.String("country").Optional().Nillable().MaxRuneLen(64),
		field.Bool("is_primary").Default(false),
	}
}

// Edges of the Site.
func (Site) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("sites").Field("account_id").Unique().Required().Immutable(),
		edge.To("devices", Device.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Annotations of the Site.
func (Site) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
