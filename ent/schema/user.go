package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/tenant"
)

// User is a member of an org. Users own deals, are assigned tasks and manage
// accounts; they are created by admins, never through the public API.
type User struct{ ent.Schema }

// Mixin of the User.
func (User) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.User}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: "", Write: ""}}}
}

// Fields of the User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxRuneLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.String("email").NotEmpty().MaxRuneLen(320).
			Comment("Stored in lower case, so uniqueness per org is case-insensitive."),
		field.Enum("role").
			Values("ADMIN", "ACCOUNT_MANAGER", "SALES_REP", "SERVICE_MANAGER", "TECHNICIAN", "VIEWER").
			Default("VIEWER"),
	}
}

// Indexes of the User.
func (User) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "email").Unique(),
	}
}

// Annotations of the User.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

// Hooks of the User.
func (User) Hooks() []ent.Hook {
	return []ent.Hook{rules.UserEmail()}
}
