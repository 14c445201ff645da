package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/tenant"
)

// WebhookEndpoint is a URL of an org that receives signed event deliveries.
type WebhookEndpoint struct{ ent.Schema }

// Mixin of the WebhookEndpoint.
func (WebhookEndpoint) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.WebhookEndpoint}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.AdminRead}}}
}

// Fields of the WebhookEndpoint.
func (WebhookEndpoint) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").NotEmpty().MaxLen(2048),
		field.Strings("events").Comment(`Subscribed event names, or ["*"] for all.`),
		field.String("description").Optional().Nillable().MaxRuneLen(255),
		field.Enum("state").Values("ENABLED", "DISABLED").Default("ENABLED"),
		field.String("disabled_reason").Optional().Nillable().MaxRuneLen(1024),
		field.Int("consecutive_failures").Default(0).Min(0).
			Comment("Failed deliveries since the last success; 5 disables the endpoint."),
		field.Bytes("secret_ciphertext").Sensitive().Annotations(entgql.Skip()).
			Comment("The signing secret, encrypted with the server's secret key."),
		field.Bytes("previous_secret_ciphertext").Optional().Nillable().Sensitive().Annotations(entgql.Skip()).
			Comment("The secret before the last rotation; it keeps signing until previous_secret_expires_at."),
		field.Time("previous_secret_expires_at").Optional().Nillable(),
	}
}

// Edges of the WebhookEndpoint.
func (WebhookEndpoint) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("deliveries", Delivery.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Annotations of the WebhookEndpoint.
func (WebhookEndpoint) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

// Event is something that happened to a record of an org, recorded in the
// transaction of the write that caused it.
type Event struct{ ent.Schema }

// Fields of the Event.
func (Event) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").Immutable().NotEmpty().MaxLen(64).
			DefaultFunc(func() string { return id.NewEventID(time.Now()) }).
			Comment("evt_<unix seconds>_<8 hex>"),
		field.String("org_id").Immutable().NotEmpty(),
		field.String("type").Immutable().NotEmpty().
			Comment("The event name, such as deal.closed_won."),
		field.String("resource_id").Immutable().
			Comment("The ID of the record the event is about."),
		field.Bytes("payload").Immutable().Annotations(entgql.Skip()).
			Comment("The exact JSON body that is delivered and signed."),
		field.Bool("test_mode").Default(false).Immutable().
			Comment("Caused by a msp_test_ key: recorded, never delivered."),
		field.String("key_id").Optional().Nillable().Immutable(),
		field.Time("created_at").Immutable().Default(Now).Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Edges of the Event.
func (Event) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("deliveries", Delivery.Type).Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Event.
func (Event) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "created_at", "id"),
		// Pruning reads the oldest events of every org.
		index.Fields("created_at"),
	}
}

// Policy of the Event: admins of the org read events; only the system writes.
func (Event) Policy() ent.Policy {
	return tenant.Policy(tenant.Guard{Read: auth.AdminRead})
}

// Annotations of the Event.
func (Event) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput),
	}
}

// Delivery is the sending of one event to one endpoint, retried until it
// succeeds or runs out of attempts. The table is the durable delivery queue.
type Delivery struct{ ent.Schema }

// Mixin of the Delivery.
func (Delivery) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Delivery}, TimeMixin{}}
}

// Fields of the Delivery.
func (Delivery) Fields() []ent.Field {
	return []ent.Field{
		field.String("org_id").Immutable().NotEmpty(),
		field.String("event_id").Immutable(),
		field.String("endpoint_id").Immutable(),
		field.Enum("state").Values("PENDING", "SUCCEEDED", "FAILED").Default("PENDING"),
		field.Int("attempts").Default(0).Min(0),
		field.Time("next_attempt_at").Comment("When the next attempt is due, while PENDING."),
		field.Time("locked_until").Optional().Nillable().
			Comment("A worker's lease on the delivery; another worker may take it after this time."),
		field.Int("last_status").Optional().Nillable(),
		field.String("last_error").Optional().Nillable().MaxRuneLen(1024),
		field.Time("completed_at").Optional().Nillable(),
	}
}

// Edges of the Delivery.
func (Delivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("event", Event.Type).Ref("deliveries").Field("event_id").Unique().Required().Immutable(),
		edge.From("endpoint", WebhookEndpoint.Type).Ref("deliveries").Field("endpoint_id").Unique().Required().Immutable(),
		edge.To("attempts_log", DeliveryAttempt.Type).Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Delivery.
func (Delivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("state", "next_attempt_at"),
		index.Fields("endpoint_id", "state", "created_at"),
	}
}

// Policy of the Delivery: admins of the org read deliveries; only the system
// writes.
func (Delivery) Policy() ent.Policy {
	return tenant.Policy(tenant.Guard{Read: auth.AdminRead})
}

// Annotations of the Delivery.
func (Delivery) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput),
	}
}

// DeliveryAttempt logs one HTTP attempt of a delivery.
type DeliveryAttempt struct{ ent.Schema }

// Mixin of the DeliveryAttempt.
func (DeliveryAttempt) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.DeliveryAttempt}}
}

// Fields of the DeliveryAttempt.
func (DeliveryAttempt) Fields() []ent.Field {
	return []ent.Field{
		field.String("org_id").Immutable().NotEmpty(),
		field.String("delivery_id").Immutable(),
		field.Int("number").Immutable().Min(1),
		field.Int("status").Optional().Nillable().Immutable().Comment("The HTTP status; empty when no response arrived."),
		field.Int("latency_ms").Immutable(),
		field.String("response_excerpt").Optional().Nillable().Immutable().MaxLen(2048),
		field.String("error").Optional().Nillable().Immutable().MaxLen(1024),
		field.Bool("succeeded").Immutable(),
		field.Time("created_at").Immutable().Default(Now),
	}
}

// Edges of the DeliveryAttempt.
func (DeliveryAttempt) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("delivery", Delivery.Type).Ref("attempts_log").Field("delivery_id").Unique().Required().Immutable(),
	}
}

// Policy of the DeliveryAttempt: admins of the org read attempts; only the
// system writes.
func (DeliveryAttempt) Policy() ent.Policy {
	return tenant.Policy(tenant.Guard{Read: auth.AdminRead})
}

// Annotations of the DeliveryAttempt.
func (DeliveryAttempt) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput),
	}
}
