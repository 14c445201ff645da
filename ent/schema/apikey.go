package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/tenant"
)

// APIKey is a bearer credential of an org. Only the SHA-256 hash of the raw key
// is stored; the raw key is shown once, when it is created.
type APIKey struct{ ent.Schema }

// Mixin of the APIKey.
func (APIKey) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.APIKey}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.AdminRead, Write: ""}}}
}

// Fields of the APIKey.
func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxRuneLen(255),
		field.Strings("scopes"),
		field.Enum("mode").Values("LIVE", "TEST").Immutable(),
		field.String("hash").
			Unique().Immutable().Sensitive().
			Comment("Hex SHA-256 of the raw key."),
		field.String("display_prefix").
			Immutable().
			Comment("The first characters of the raw key, enough to recognise it in a list."),
		field.Time("last_used_at").Optional().Nillable(),
		field.Time("expires_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

// Annotations of the APIKey.
func (APIKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
