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
)

// Note is free text attached to an account, deal, contract, lead or contact.
type Note struct{ ent.Schema }

// Mixin of the Note.
func (Note) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{Prefix: id.Note}, TimeMixin{}, TenantMixin{Guard: tenant.Guard{Read: auth.NotesRead, Write: auth.NotesWrite}}}
}

// Fields of the Note.
func (Note) Fields() []ent.Field {
	return []ent.Field{
		field.Text("body").NotEmpty().MaxRuneLen(65535),
		field.Enum("object_type").Values("ACCOUNT", "DEAL", "CONTRACT", "LEAD", "CONTACT").Immutable(),
		field.String("object_id").NotEmpty().Immutable().
			Comment("ID of the record the note is on; it must exist in the org and match objectType."),
		field.String("author_id").Optional().Nillable(),
	}
}

// Edges of the Note.
func (Note) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("author", User.Type).Field("author_id").Unique(),
	}
}

// Indexes of the Note.
func (Note) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("org_id", "object_type", "object_id"),
	}
}

// Annotations of the Note.
func (Note) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}

// Hooks of the Note.
func (Note) Hooks() []ent.Hook {
	return []ent.Hook{rules.NoteTarget()}
}
