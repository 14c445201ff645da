package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/mrr"
	"github.com/breadbox/breadbox/internal/tenant"
)

// Contract is an agreement with an account; its service lines make its MRR.
type Contract struct{ ent.Schema }

// Mixin of the Contract.
func (Contract) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Contract}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.ContractsRead, Write: ""}}}
}

// Fields of the Contract.
func (Contract) Fields() []ent.Field {
	return []ent.Field{
		field.String("account_id"),
		nameField("name", entgql.OrderField("NAME")),
		field.Enum("status").Values("DRAFT", "ACTIVE", "EXPIRED", "CANCELLED").Default("DRAFT"),
		dateField("start_date"),
		dateField("end_date"),
		dateField("renewal_date", entgql.OrderField("RENEWAL_DATE")),
		field.Bool("auto_renew").Default(false),
	}
}

// Edges of the Contract.
func (Contract) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("contracts").Field("account_id").Unique().Required(),
		edge.To("service_lines", ServiceLine.Type).Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Annotations of the Contract.
func (Contract) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the Contract keep the account's currentMrr current and queue a
// churn-risk recalculation when the renewal inputs change.
func (Contract) Hooks() []ent.Hook {
	return []ent.Hook{mrr.Hook(), trigger.Hook()}
}
