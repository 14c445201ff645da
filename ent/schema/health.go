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
	"github.com/breadbox/breadbox/internal/tenant"
)

// signalKeys are the nine churn-risk signals.
var signalKeys = []string{
	"OPEN_TICKETS", "CSAT_TREND", "UTILIZATION", "TOUCHPOINT_RECENCY", "DECISION_MAKER_RECENCY",
	"STACK_STANDARDIZATION", "PAYMENT_HEALTH", "RENEWAL_PROXIMITY", "EMPLOYEE_GROWTH",
}

// HealthSignal is one observation of a churn-risk signal for an account,
// pushed by an external tool.
type HealthSignal struct{ ent.Schema }

// Mixin of the HealthSignal.
func (HealthSignal) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.HealthSignal}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.HealthRead, Write: auth.HealthWrite}}}
}

// Fields of the HealthSignal.
func (HealthSignal) Fields() []ent.Field {
	return []ent.Field{
		field.String("account_id").Immutable(),
		field.Enum("key").Values(signalKeys...).Immutable(),
		field.Float("raw_value").Optional().Nillable().Immutable().
			Comment("The measurement as the source sent it, in the unit of its key: a ticket count, a percentage of satisfied responses, days overdue."),
		field.Int("sub_score").Optional().Nillable().Range(0, 100).Immutable().
			Comment("A health sub-score 0-100, sent instead of a raw value."),
		field.JSON("details", map[string]any{}).Optional().Immutable().Annotations(entgql.Skip()),
		field.String("source").Optional().Nillable().MaxRuneLen(255).Immutable(),
		field.Time("observed_at").Immutable().Annotations(entgql.OrderField("OBSERVED_AT")),
		field.Time("expires_at").Optional().Nillable().Immutable(),
	}
}

// Edges of the HealthSignal.
func (HealthSignal) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("health_signals").Field("account_id").Unique().Required().Immutable(),
	}
}

// Indexes of the HealthSignal.
func (HealthSignal) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "key", "observed_at"),
	}
}

// Annotations of the HealthSignal.
func (HealthSignal) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
	}
}

// Hooks of the HealthSignal: a pushed observation queues a churn-risk
// recalculation of its account.
func (HealthSignal) Hooks() []ent.Hook {
	return []ent.Hook{trigger.Hook()}
}

// ChurnRiskSnapshot is one recalculation of an account's churn risk, with the
// breakdown that produced it.
type ChurnRiskSnapshot struct{ ent.Schema }

// Mixin of the ChurnRiskSnapshot.
func (ChurnRiskSnapshot) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.ChurnRiskSnapshot}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.HealthRead}}}
}

// Fields of the ChurnRiskSnapshot.
func (ChurnRiskSnapshot) Fields() []ent.Field {
	return []ent.Field{
		field.String("account_id").Immutable(),
		field.Int("score").Range(0, 100).Immutable(),
		field.Enum("level").Values("LOW", "MEDIUM", "HIGH").Immutable(),
		field.JSON("breakdown", []map[string]any{}).Optional().Immutable().Annotations(entgql.Skip()),
		field.Time("calculated_at").Immutable().Annotations(entgql.OrderField("CALCULATED_AT")),
		field.String("day").Immutable().Annotations(entgql.Type("Date")).
			Comment("UTC calendar day of the calculation, YYYY-MM-DD, for the daily history."),
	}
}

// Edges of the ChurnRiskSnapshot.
func (ChurnRiskSnapshot) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("churn_risk_snapshots").Field("account_id").Unique().Required().Immutable(),
	}
}

// Indexes of the ChurnRiskSnapshot.
func (ChurnRiskSnapshot) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "day"),
	}
}

// Annotations of the ChurnRiskSnapshot.
func (ChurnRiskSnapshot) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
	}
}
