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
	"github.com/breadbox/breadbox/internal/webhook"
)

// Touchpoint is one interaction with an account: a call, an email, a QBR.
type Touchpoint struct{ ent.Schema }

// Mixin of the Touchpoint.
func (Touchpoint) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Touchpoint}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.TouchpointsRead, Write: auth.TouchpointsWrite}}}
}

// Fields of the Touchpoint.
func (Touchpoint) Fields() []ent.Field {
	return []ent.Field{
		field.String("account_id"),
		field.String("contact_id").Optional().Nillable(),
		field.Enum("type").
			Values("CALL", "EMAIL", "MEETING", "VIDEO_CALL", "SITE_VISIT", "QBR", "SLACK_MESSAGE", "OTHER"),
		field.Enum("direction").Values("INBOUND", "OUTBOUND").Optional().Nillable(),
		textField("subject"),
		longTextField("notes"),
		textField("outcome"),
		field.Time("occurred_at").Default(Now).Annotations(entgql.OrderField("OCCURRED_AT")).
			Comment("When the interaction happened; defaults to now and may be in the past."),
		field.String("source").Optional().Nillable().MaxRuneLen(255).Comment("The external tool that logged it."),
	}
}

// Edges of the Touchpoint.
func (Touchpoint) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("touchpoints").Field("account_id").Unique().Required(),
		edge.From("contact", Contact.Type).Ref("touchpoints").Field("contact_id").Unique(),
	}
}

// Indexes of the Touchpoint.
func (Touchpoint) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "occurred_at"),
	}
}

// Annotations of the Touchpoint.
func (Touchpoint) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate()),
	}
}

// Hooks of the Touchpoint reject one in the future, and a logged touchpoint
// queues a churn-risk recalculation of its account.
func (Touchpoint) Hooks() []ent.Hook {
	return []ent.Hook{rules.TouchpointInPast(), webhook.EventHook(), trigger.Hook()}
}
