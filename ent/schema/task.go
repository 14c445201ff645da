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
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/tenant"
	"github.com/breadbox/breadbox/internal/webhook"
)

// Task is a to-do for a user, optionally about an account or a deal.
type Task struct{ ent.Schema }

// Mixin of the Task.
func (Task) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Task}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.TasksRead, Write: auth.TasksWrite}}}
}

// Fields of the Task.
func (Task) Fields() []ent.Field {
	return []ent.Field{
		nameField("title", entgql.OrderField("TITLE")),
		longTextField("description"),
		field.Enum("status").Values("OPEN", "IN_PROGRESS", "DONE", "CANCELLED").Default("OPEN").
			Annotations(entgql.OrderField("STATUS")),
		field.Enum("priority").Values("LOW", "MEDIUM", "HIGH", "URGENT").Default("MEDIUM").
			Annotations(entgql.OrderField("PRIORITY")),
		dateField("due_date", entgql.OrderField("DUE_DATE")),
		field.String("assignee_id").Optional().Nillable(),
		field.String("account_id").Optional().Nillable(),
		field.String("deal_id").Optional().Nillable(),
		field.Time("completed_at").Optional().Nillable().
			Annotations(entgql.OrderField("COMPLETED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)).
			Comment("Stamped when the status becomes DONE and cleared when it leaves DONE."),
	}
}

// Edges of the Task.
func (Task) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("assignee", User.Type).Field("assignee_id").Unique(),
		edge.From("account", Account.Type).Ref("tasks").Field("account_id").Unique(),
		edge.From("deal", Deal.Type).Ref("tasks").Field("deal_id").Unique(),
	}
}

// Indexes of the Task.
func (Task) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "status"),
		index.Fields("org_id", "updated_at"),
	}
}

// Annotations of the Task.
func (Task) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the Task.
func (Task) Hooks() []ent.Hook {
	return []ent.Hook{rules.TaskCompletion(), webhook.EventHook()}
}
