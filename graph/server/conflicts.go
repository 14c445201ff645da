package server

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// SetAndClear rejects an input object that both sets a field and clears it,
// such as {industry: "Legal", clearIndustry: true} or {parentID: …,
// clearParent: true}. ent would write the column twice: PostgreSQL rejects
// that statement, and SQLite keeps one of the two values.
type SetAndClear struct{}

// ExtensionName implements graphql.HandlerExtension.
func (SetAndClear) ExtensionName() string { return "BreadboxSetAndClear" }

// Validate implements graphql.HandlerExtension.
func (SetAndClear) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext checks the arguments of every field.
func (SetAndClear) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	return eachField(rc.Operation.SelectionSet, func(field *ast.Field) *gqlerror.Error {
		for name, value := range field.ArgumentMap(rc.Variables) {
			if set, clear := setAndCleared(value); set != "" {
				return &gqlerror.Error{
					Message:    field.Name + ": " + name + " both sets " + set + " and clears it with " + clear + "; send one of the two",
					Path:       ast.Path{ast.PathName(field.Alias)},
					Extensions: map[string]any{"code": "validation_error", "details": []map[string]any{{"path": []any{clear}, "message": "cannot be true while " + set + " is set"}}},
				}
			}
		}
		return nil
	})
}

// setAndCleared finds, in an input object or the objects nested in it, a
// clearX flag that is true next to X, XID or XIDs with a value. It returns
// the two names, or "" when there is no such pair.
func setAndCleared(value any) (set, clear string) {
	switch typed := value.(type) {
	case []any:
		for _, item := range typed {
			if set, clear = setAndCleared(item); set != "" {
				return set, clear
			}
		}
	case map[string]any:
		for key, flag := range typed {
			field, isClear := strings.CutPrefix(key, "clear")
			if !isClear || field == "" || flag != true {
				continue
			}
			base := strings.ToLower(field[:1]) + field[1:]
			for _, candidate := range []string{base, base + "ID", base + "IDs"} {
				if typed[candidate] != nil {
					return candidate, key
				}
			}
		}
		for _, item := range typed {
			if set, clear = setAndCleared(item); set != "" {
				return set, clear
			}
		}
	}
	return "", ""
}
