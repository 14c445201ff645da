package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits rejects abusive documents before any resolver runs: too deep, too
// costly, with too many aliases, or asking for pages larger than MaxPageSize.
// Every selection counts, so a thousand aliases of one field cost a thousand
// times as much.
type Limits struct {
	// MaxDepth bounds the nesting of selections outside introspection.
	MaxDepth int
	// MaxIntrospectionDepth bounds the nesting under __schema and __type. The
	// introspection query of graphql-js 16 needs 13 levels and that of
	// graphql-js 17 needs 15.
	MaxIntrospectionDepth int
	// MaxCost bounds the estimated number of values a response can hold.
	MaxCost int
	// MaxPageSize bounds first and last on connections.
	MaxPageSize int
	// MaxAliases bounds the aliased fields of an operation, counted once per
	// fragment spread. Each alias runs its resolver again, so without this
	// bound a document of cheap fields such as totalCount could send
	// thousands of statements to the database while staying under MaxCost.
	MaxAliases int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Limits{}

// listCost is the estimated size of a list field that takes no page size.
const listCost = 5

// ExtensionName implements graphql.HandlerExtension.
func (Limits) ExtensionName() string { return "BreadboxLimits" }

// Validate implements graphql.HandlerExtension.
func (Limits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext checks the operation against the limits.
func (l Limits) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	walker := limitWalker{limits: l, variables: rc.Variables}
	cost := walker.selectionCost(rc.Operation.SelectionSet, 1, false)
	if walker.err != nil {
		return walker.err
	}
	if walker.aliases > l.MaxAliases {
		return limitError("the query has %d aliased fields and the limit is %d; use fewer aliases or split the query into several requests", walker.aliases, l.MaxAliases)
	}
	if cost > l.MaxCost {
		return limitError("the query is too complex: its estimated cost is %d and the limit is %d; ask for fewer fields, smaller pages or fewer aliases", cost, l.MaxCost)
	}
	return nil
}

type limitWalker struct {
	limits    Limits
	variables map[string]any
	err       *gqlerror.Error
	aliases   int
	// fields counts the fields visited, once per fragment spread. Every
	// field costs at least 1, so more fields than MaxCost means the cost is
	// over the limit too. Stopping there bounds the walk when fragments
	// spread each other twice at every level, which would otherwise take
	// 2^levels steps.
	fields int
}

func (w *limitWalker) selectionCost(selections ast.SelectionSet, depth int, introspection bool) int {
	if w.err != nil {
		return 0
	}
	maxDepth := w.limits.MaxDepth
	if introspection {
		maxDepth = w.limits.MaxIntrospectionDepth
	}
	if depth > maxDepth {
		w.err = limitError("the query is too deep: it nests more than %d levels; split it into shallower queries", maxDepth)
		return 0
	}

	total := 0
	for _, selection := range selections {
		switch node := selection.(type) {
		case *ast.Field:
			total += w.fieldCost(node, depth, introspection)
		case *ast.InlineFragment:
			total += w.selectionCost(node.SelectionSet, depth, introspection)
		case *ast.FragmentSpread:
			if node.Definition != nil {
				total += w.selectionCost(node.Definition.SelectionSet, depth, introspection)
			}
		}
	}
	return total
}

func (w *limitWalker) fieldCost(field *ast.Field, depth int, introspection bool) int {
	w.fields++
	if w.fields > w.limits.MaxCost {
		w.err = limitError("the query is too complex: it selects more than %d fields once its fragments are expanded; ask for fewer fields or spread fewer fragments", w.limits.MaxCost)
		return 0
	}
	introspection = introspection || field.Name == "__schema" || field.Name == "__type"
	if field.Alias != field.Name {
		w.aliases++
	}
	if len(field.SelectionSet) == 0 {
		return 1
	}

	multiplier := 1
	arguments := field.ArgumentMap(w.variables)
	pageSize, paged := w.pageSize(field, arguments)
	switch {
	case paged:
		multiplier = pageSize
	case field.Definition != nil && field.Definition.Type.Elem != nil:
		multiplier = listCost
	}
	return 1 + multiplier*w.selectionCost(field.SelectionSet, depth+1, introspection)
}

// pageSize returns the page size a connection field asks for, checking it
// against the limit. A connection without first or last is costed at the
// maximum page size, since nested connections then return every edge.
func (w *limitWalker) pageSize(field *ast.Field, arguments map[string]any) (int, bool) {
	if field.Definition == nil || field.Definition.Arguments.ForName("first") == nil {
		return 0, false
	}
	first, hasFirst := intArgument(arguments["first"])
	last, hasLast := intArgument(arguments["last"])
	for _, size := range []int{first, last} {
		if size < 0 || size > w.limits.MaxPageSize {
			w.err = limitError("%s: first and last must be between 0 and %d, got %d", field.Name, w.limits.MaxPageSize, size)
			return 0, false
		}
	}
	if !hasFirst && !hasLast {
		return w.limits.MaxPageSize, true
	}
	return max(first, last, 1), true
}

func intArgument(value any) (int, bool) {
	switch typed := value.(type) {
	case int:
		return typed, true
	case int64:
		return int(typed), true
	case float64:
		return int(typed), true
	}
	return 0, false
}

func limitError(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": "bad_request"},
	}
}
