package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/tenant"
)

// IdempotencyRecord remembers the response to a write sent with an
// Idempotency-Key, so a retry with the same key and body replays it.
type IdempotencyRecord struct{ ent.Schema }

// Mixin of the IdempotencyRecord.
func (IdempotencyRecord) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.IdempotencyRecord}, TimeMixin{}}
}

// Fields of the IdempotencyRecord.
func (IdempotencyRecord) Fields() []ent.Field {
	return []ent.Field{
		field.String("org_id").Immutable().NotEmpty(),
		field.String("key").Immutable().NotEmpty().MaxLen(255),
		field.String("fingerprint").Immutable().
			Comment("Hex SHA-256 of the method, path and canonical JSON body."),
		field.Enum("state").Values("IN_PROGRESS", "COMPLETED").Default("IN_PROGRESS"),
		field.Time("locked_until").
			Comment("While IN_PROGRESS, when a crashed first attempt is presumed dead and a retry may claim the key."),
		field.Int("response_status").Optional().Nillable(),
		field.JSON("response_headers", map[string]string{}).Optional(),
		field.Bytes("response_body").Optional().Nillable(),
		field.Time("expires_at").Comment("Records are kept for 24 hours."),
	}
}

// Indexes of the IdempotencyRecord.
func (IdempotencyRecord) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "key").Unique(),
		index.Fields("expires_at"),
	}
}

// Policy of the IdempotencyRecord: only the system reads or writes records.
func (IdempotencyRecord) Policy() ent.Policy {
	return tenant.SystemOnlyPolicy()
}

// Annotations of the IdempotencyRecord.
func (IdempotencyRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
