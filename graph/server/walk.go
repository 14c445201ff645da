package server

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// eachField calls visit on every field of the selection set and of the
// fields below it, through inline fragments and fragment spreads, and
// returns the first error visit returns. A fragment is visited once, since
// its fields are the same wherever it is spread.
func eachField(selections ast.SelectionSet, visit func(*ast.Field) *gqlerror.Error) *gqlerror.Error {
	return walkFields(selections, visit, map[*ast.FragmentDefinition]bool{})
}

func walkFields(selections ast.SelectionSet, visit func(*ast.Field) *gqlerror.Error, visited map[*ast.FragmentDefinition]bool) *gqlerror.Error {
	for _, selection := range selections {
		var err *gqlerror.Error
		switch node := selection.(type) {
		case *ast.Field:
			if err = visit(node); err == nil {
				err = walkFields(node.SelectionSet, visit, visited)
			}
		case *ast.InlineFragment:
			err = walkFields(node.SelectionSet, visit, visited)
		case *ast.FragmentSpread:
			if node.Definition != nil && !visited[node.Definition] {
				visited[node.Definition] = true
				err = walkFields(node.Definition.SelectionSet, visit, visited)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
