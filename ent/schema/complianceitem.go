package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/tenant"
)

// ComplianceItem is one control of a compliance framework for an account.
type ComplianceItem struct{ ent.Schema }

// Mixin of the ComplianceItem.
func (ComplianceItem) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.ComplianceItem}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.ComplianceRead, Write: ""}}}
}

// Fields of the ComplianceItem.
func (ComplianceItem) Fields() []ent.Field {
	return []ent.Field{
		field.String("account_id"),
		field.Enum("framework").Values("HIPAA", "PCI_DSS", "SOC2", "CMMC", "NIST_CSF", "ISO_27001", "GDPR", "CUSTOM"),
		nameField("title"),
		field.Enum("status").Values("NOT_STARTED", "IN_PROGRESS", "COMPLETE", "NOT_APPLICABLE").Default("NOT_STARTED"),
		dateField("due_date", entgql.OrderField("DUE_DATE")),
		field.String("assignee_id").Optional().Nillable(),
		field.Time("completed_at").Optional().Nillable(),
	}
}

// Edges of the ComplianceItem.
func (ComplianceItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("compliance_items").Field("account_id").Unique().Required(),
		edge.To("assignee", User.Type).Field("assignee_id").Unique(),
	}
}

// Annotations of the ComplianceItem.
func (ComplianceItem) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
	}
}
