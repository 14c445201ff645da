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
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/tenant"
	"github.com/breadbox/breadbox/internal/webhook"
)

// Account is a client of the MSP: the hub every other record hangs off.
type Account struct{ ent.Schema }

// Mixin of the Account.
func (Account) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Account}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.AccountsRead, Write: auth.AccountsWrite}}}
}

// Fields of the Account.
func (Account) Fields() []ent.Field {
	return []ent.Field{
		nameField("name", entgql.OrderField("NAME")),
		field.Enum("lifecycle_status").
			Values("PROSPECT", "ASSESSMENT", "ONBOARDING", "ACTIVE", "AT_RISK", "CHURNED").
			Default("PROSPECT").
			Annotations(entgql.OrderField("LIFECYCLE_STATUS")),
		textField("industry", entgql.OrderField("INDUSTRY")),
		field.Int("employee_count").Optional().Nillable().Min(0).
			Annotations(entgql.OrderField("EMPLOYEE_COUNT")),
		field.String("external_id").Optional().Nillable().MaxRuneLen(255).
			Comment("The record's ID in the integrator's system; unique per org and the bulk upsert key."),
		webAddressField("website"),
		field.String("phone").Optional().Nillable().MaxRuneLen(64),
		field.Enum("sla_tier").Values("BRONZE", "SILVER", "GOLD").Optional().Nillable(),
		field.String("account_manager_id").Optional().Nillable(),
		field.String("sales_rep_id").Optional().Nillable(),
		field.String("parent_account_id").Optional().Nillable(),
		dateField("client_since", entgql.OrderField("CLIENT_SINCE")),
		dateField("contract_anniversary"),
		field.Int("fiscal_year_end_month").Optional().Nillable().Range(1, 12),
		field.Strings("compliance_frameworks").Optional().Validate(rules.ValidateComplianceFrameworks),
		field.Strings("tags").Optional().Validate(rules.ValidateTags),
		field.Int64("current_mrr").GoType(money.Cents(0)).
			Default(0).
			Annotations(
				entgql.Type("Money"),
				entgql.OrderField("CURRENT_MRR"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			).
			Comment("Sum of the MRR of the service lines of the account's ACTIVE contracts; kept by hooks."),
		field.Int("churn_risk_score").Optional().Nillable().Range(0, 100).
			Annotations(
				entgql.OrderField("CHURN_RISK_SCORE"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
		field.Enum("churn_risk_level").Values("LOW", "MEDIUM", "HIGH").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the Account.
func (Account) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("children", Account.Type).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)).
			From("parent").
			Field("parent_account_id").
			Unique(),
		edge.To("account_manager", User.Type).Field("account_manager_id").Unique(),
		edge.To("sales_rep", User.Type).Field("sales_rep_id").Unique(),
		edge.To("contacts", Contact.Type).
			Through("contact_links", AccountContact.Type).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("sites", Site.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("deals", Deal.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("contracts", Contract.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("devices", Device.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("tasks", Task.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("touchpoints", Touchpoint.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("compliance_items", ComplianceItem.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("health_signals", HealthSignal.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("churn_risk_snapshots", ChurnRiskSnapshot.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Account.
func (Account) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "external_id").Unique(),
		index.Fields("org_id", "lifecycle_status"),
		index.Fields("org_id", "created_at"),
		index.Fields("org_id", "updated_at"),
	}
}

// Annotations of the Account.
func (Account) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the Account.
func (Account) Hooks() []ent.Hook {
	return []ent.Hook{rules.AccountParent(), webhook.EventHook()}
}
