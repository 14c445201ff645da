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

// Deal is an opportunity in the org's sales pipeline.
type Deal struct{ ent.Schema }

// Mixin of the Deal.
func (Deal) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Deal}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.DealsRead, Write: auth.DealsWrite}}}
}

// Fields of the Deal.
func (Deal) Fields() []ent.Field {
	return []ent.Field{
		nameField("name", entgql.OrderField("NAME")),
		field.String("account_id"),
		field.String("stage").
			Optional().
			MaxLen(64).
			Annotations(entgql.OrderField("STAGE")).
			Comment("Key of one of the org's pipeline stages; defaults to the first stage."),
		field.Enum("type").Values("NEW_LOGO", "EXPANSION", "RENEWAL").Default("NEW_LOGO"),
		field.Int64("estimated_mrr").GoType(money.Cents(0)).Optional().Nillable().Min(0).
			Annotations(entgql.Type("Money"), entgql.OrderField("ESTIMATED_MRR")),
		field.Int("probability").Optional().Nillable().Range(0, 100).
			Annotations(entgql.OrderField("PROBABILITY")).
			Comment("Percent; set from the stage's default when absent."),
		field.String("owner_id").Optional().Nillable(),
		dateField("expected_close_date", entgql.OrderField("EXPECTED_CLOSE_DATE")),
		field.Time("closed_at").Optional().Nillable().
			Annotations(entgql.OrderField("CLOSED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		textField("loss_reason"),
	}
}

// Edges of the Deal.
func (Deal) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("deals").Field("account_id").Unique().Required(),
		edge.To("owner", User.Type).Field("owner_id").Unique(),
		edge.To("contacts", Contact.Type).Through("contact_links", DealContact.Type).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("tasks", Task.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Indexes of the Deal.
func (Deal) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "stage"),
		index.Fields("org_id", "created_at"),
	}
}

// Annotations of the Deal.
func (Deal) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the Deal.
func (Deal) Hooks() []ent.Hook {
	return []ent.Hook{rules.DealStage(), webhook.EventHook()}
}
