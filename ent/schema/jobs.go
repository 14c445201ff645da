package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/breadbox/breadbox/internal/tenant"
)

// ChurnRecalculation is a pending recalculation of one account's churn risk.
// The table is the durable queue of the churn engine. Its ID is the account's
// ID, so an account has at most one pending recalculation: triggers that
// arrive while one waits join it, which debounces a burst of signal pushes
// into one calculation.
type ChurnRecalculation struct{ ent.Schema }

// Fields of the ChurnRecalculation.
func (ChurnRecalculation) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").Immutable().NotEmpty().MaxLen(64).
			Comment("The ID of the account to recalculate."),
		field.String("org_id").Immutable().NotEmpty(),
		field.Time("due_at").
			Comment("When the recalculation may run: the last trigger's time plus the debounce delay, at the latest the deadline."),
		field.Time("deadline").
			Comment("The latest due time: the first trigger's time plus the maximum wait, so a long sync still gets its account recalculated."),
		field.Int("generation").Default(0).Min(0).
			Comment("Counts the triggers that joined the pending recalculation; a worker finishes it only if no trigger arrived while it ran."),
		field.Int("attempts").Default(0).Min(0).
			Comment("Failed runs since the last success."),
		field.Time("locked_until").Optional().Nillable().
			Comment("A worker's lease; another worker may take the job after this time."),
		field.String("last_error").Optional().Nillable().MaxRuneLen(1024),
		field.Time("created_at").Immutable().Default(Now),
	}
}

// Indexes of the ChurnRecalculation serve the workers' claim query.
func (ChurnRecalculation) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("due_at"),
	}
}

// Policy of the ChurnRecalculation: only the system reads or writes the queue.
func (ChurnRecalculation) Policy() ent.Policy {
	return tenant.SystemOnlyPolicy()
}

// Annotations of the ChurnRecalculation.
func (ChurnRecalculation) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// ScheduledRun records that one node claimed one period of a periodic job,
// such as the churn-risk pass of 2026-12-04. Its ID is the job and period,
// so the first node to insert the row runs the period and every other node
// skips it.
type ScheduledRun struct{ ent.Schema }

// Fields of the ScheduledRun.
func (ScheduledRun) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").Immutable().NotEmpty().MaxLen(128).
			Comment("The job and its period, such as churn.nightly/2026-12-04."),
		field.String("job").Immutable().NotEmpty().MaxLen(64),
		field.String("period").Immutable().NotEmpty().MaxLen(64),
		field.Int("items").Default(0).Min(0).
			Comment("How many items the run handled, such as accounts queued."),
		field.Time("started_at").Immutable().Default(Now),
	}
}

// Policy of the ScheduledRun: only the system reads or writes runs.
func (ScheduledRun) Policy() ent.Policy {
	return tenant.SystemOnlyPolicy()
}

// Annotations of the ScheduledRun.
func (ScheduledRun) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
