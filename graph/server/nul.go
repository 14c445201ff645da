package server

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/breadbox/breadbox/internal/rules"
)

// RejectNUL rejects an operation whose variables or string arguments contain a
// NUL character. PostgreSQL cannot store or compare text with one, and
// SQLite matches it wrongly in filters, so both databases return the same
// error.
type RejectNUL struct{}

// ExtensionName implements graphql.HandlerExtension.
func (RejectNUL) ExtensionName() string { return "BreadboxRejectNUL" }

// Validate implements graphql.HandlerExtension.
func (RejectNUL) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext checks the variables and the document's literals.
func (RejectNUL) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	for name, value := range rc.Variables {
		if rules.ContainsNUL(value) {
			return nulError("$" + name)
		}
	}
	if rc.Operation == nil {
		return nil
	}
	return eachField(rc.Operation.SelectionSet, func(field *ast.Field) *gqlerror.Error {
		for _, argument := range field.Arguments {
			if valueHoldsNUL(argument.Value) {
				return nulError(field.Name + "(" + argument.Name + ")")
			}
		}
		return nil
	})
}

func nulError(where string) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    where + " contains a NUL character (\\u0000), which cannot be stored or searched; remove it",
		Extensions: map[string]any{"code": "validation_error"},
	}
}

func valueHoldsNUL(value *ast.Value) bool {
	if value == nil {
		return false
	}
	if value.Kind == ast.StringValue || value.Kind == ast.BlockValue {
		return strings.ContainsRune(value.Raw, 0)
	}
	for _, child := range value.Children {
		if strings.ContainsRune(child.Name, 0) || valueHoldsNUL(child.Value) {
			return true
		}
	}
	return false
}
