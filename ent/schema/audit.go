package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/tenant"
)

// AuditEntry records one API call on REST or GraphQL, including rejected
// ones (401, 403, 429).
type AuditEntry struct{ ent.Schema }

// Mixin of the AuditEntry.
func (AuditEntry) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.AuditEntry}}
}

// Fields of the AuditEntry.
func (AuditEntry) Fields() []ent.Field {
	return []ent.Field{
		field.String("org_id").Optional().Nillable().Immutable().
			Comment("Empty for calls without a valid key."),
		field.String("request_id").Immutable(),
		field.String("key_id").Optional().Nillable().Immutable(),
		field.Bool("test_mode").Default(false).Immutable(),
		field.String("method").Immutable(),
		field.String("path").Immutable().MaxLen(2048),
		field.String("operation_name").Optional().Nillable().Immutable().MaxLen(255).
			Comment("The GraphQL operation name, when there is one."),
		field.Int("status").Immutable(),
		field.String("error_code").Optional().Nillable().Immutable(),
		field.Int("duration_ms").Immutable(),
		field.String("client_ip").Immutable(),
		field.String("user_agent").Optional().Nillable().Immutable().MaxLen(512),
		field.String("idempotency_key").Optional().Nillable().Immutable().MaxLen(255),
		field.Bool("replayed").Default(false).Immutable(),
		field.Time("created_at").Immutable().Default(Now).Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Indexes of the AuditEntry.
func (AuditEntry) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "created_at"),
		index.Fields("created_at"),
	}
}

// Policy of the AuditEntry: admins of the org read it with admin:read; only
// the system writes it.
func (AuditEntry) Policy() ent.Policy {
	return tenant.Policy(tenant.Guard{Read: auth.AdminRead})
}

// Annotations of the AuditEntry.
func (AuditEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
