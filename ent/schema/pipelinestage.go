package schema

import (
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/tenant"
)

// stageKeyPattern accepts upper snake case stage keys such as PROPOSAL_SENT.
var stageKeyPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// PipelineStage is one stage of an org's sales pipeline. Every new org gets
// the nine default stages; a deal's stage is a stage key.
type PipelineStage struct{ ent.Schema }

// Mixin of the PipelineStage.
func (PipelineStage) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.PipelineStage}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.DealsRead, Write: ""}}}
}

// Fields of the PipelineStage.
func (PipelineStage) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").NotEmpty().MaxLen(64).Match(stageKeyPattern).
			Comment("Upper snake case, such as PROPOSAL_SENT."),
		nameField("name"),
		field.Int("position").Min(0).Annotations(entgql.OrderField("POSITION")),
		field.Int("probability").Range(0, 100).Comment("Default win probability in percent for deals in this stage."),
		field.Bool("is_won").Default(false),
		field.Bool("is_lost").Default(false),
	}
}

// Indexes of the PipelineStage.
func (PipelineStage) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "key").Unique(),
	}
}

// Annotations of the PipelineStage.
func (PipelineStage) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
