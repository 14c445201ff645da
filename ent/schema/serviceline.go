package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/money"
	"github.com/breadbox/breadbox/internal/mrr"
	"github.com/breadbox/breadbox/internal/tenant"
)

// ServiceLine is one billed service of a contract.
type ServiceLine struct{ ent.Schema }

// Mixin of the ServiceLine.
func (ServiceLine) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.ServiceLine}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.ContractsRead, Write: ""}}}
}

// Fields of the ServiceLine.
func (ServiceLine) Fields() []ent.Field {
	return []ent.Field{
		field.String("contract_id"),
		nameField("service_name"),
		field.Enum("category").
			Values("MANAGED_SERVICES", "SECURITY", "BACKUP_DR", "CLOUD", "VOIP", "CONNECTIVITY",
				"HARDWARE_AS_A_SERVICE", "PROFESSIONAL_SERVICES", "LICENSING", "OTHER").
			Default("MANAGED_SERVICES"),
		field.Int("quantity").Min(0).Default(1),
		field.Int64("unit_price").GoType(money.Cents(0)).Annotations(entgql.Type("Money")).Comment("Price per unit per billing period."),
		field.Enum("billing_frequency").
			Values("MONTHLY", "QUARTERLY", "SEMI_ANNUAL", "ANNUAL", "ONE_TIME").
			Default("MONTHLY"),
	}
}

// Edges of the ServiceLine.
func (ServiceLine) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("contract", Contract.Type).Ref("service_lines").Field("contract_id").Unique().Required(),
	}
}

// Annotations of the ServiceLine.
func (ServiceLine) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the ServiceLine keep the account's currentMrr current.
func (ServiceLine) Hooks() []ent.Hook {
	return []ent.Hook{mrr.Hook()}
}
