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
	"github.com/breadbox/breadbox/internal/tenant"
	"github.com/breadbox/breadbox/internal/webhook"
)

// Device is a machine under management, usually pushed from an RMM.
type Device struct{ ent.Schema }

// Mixin of the Device.
func (Device) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Device}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.DevicesRead, Write: auth.DevicesWrite}}}
}

// Fields of the Device.
func (Device) Fields() []ent.Field {
	return []ent.Field{
		field.String("account_id"),
		field.String("site_id").Optional().Nillable(),
		field.String("rmm_agent_id").Optional().Nillable().MaxRuneLen(255).Comment("The agent's ID in the RMM; unique per org and the bulk upsert key."),
		nameField("hostname", entgql.OrderField("HOSTNAME")),
		textField("os"),
		field.String("device_type").Optional().Nillable().MaxRuneLen(255).Comment("Free text such as Workstation or Server; RMMs use many."),
		textField("serial_number"),
		field.Bool("is_online").Default(false),
		field.Time("last_seen_at").Optional().Nillable().Annotations(entgql.OrderField("LAST_SEEN_AT")),
		field.Bool("patch_compliant").Optional().Nillable(),
		field.Bool("is_end_of_life").Default(false),
		field.Time("warranty_expires_at").Optional().Nillable().Annotations(entgql.OrderField("WARRANTY_EXPIRES_AT")),
	}
}

// Edges of the Device.
func (Device) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("devices").Field("account_id").Unique().Required(),
		edge.From("site", Site.Type).Ref("devices").Field("site_id").Unique(),
	}
}

// Indexes of the Device.
func (Device) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "rmm_agent_id").Unique(),
		index.Fields("org_id", "updated_at"),
		index.Fields("account_id"),
	}
}

// Annotations of the Device.
func (Device) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the Device.
func (Device) Hooks() []ent.Hook {
	return []ent.Hook{webhook.EventHook()}
}
