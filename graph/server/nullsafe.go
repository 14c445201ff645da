package server

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/breadbox/breadbox/ent/migrate"
)

// NullableCursors rejects a connection page that continues from a cursor
// (after or before) while the order names a field that can be null, unless
// the where filter excludes the nulls of that field (industryNotNil: true).
//
// entgql builds the next page's condition as field > value: a row whose
// field is null never matches it, and a cursor whose value is null matches
// no row, so such a walk silently skips rows. The first page is right, and
// REST lists page over nullable sorts without skipping, so the error names
// both ways out. NOTE: the GraphQL walk itself stays unsupported until the
// connections get a null-aware cursor.
type NullableCursors struct {
	// nullable maps a node type and an order field enum value, such as
	// Account and INDUSTRY, to the where-input key that excludes its nulls.
	nullable map[string]map[string]string
}

// newNullableCursors finds the nullable order fields of every connection in
// the schema: an order field names its column (INDUSTRY is industry), and
// the column's table records whether it can be null.
func newNullableCursors(schema *ast.Schema) NullableCursors {
	tables := make(map[string]map[string]bool)
	for _, table := range migrate.Tables {
		columns := make(map[string]bool)
		for _, column := range table.Columns {
			columns[column.Name] = column.Nullable
		}
		tables[table.Name] = columns
	}

	guard := NullableCursors{nullable: make(map[string]map[string]string)}
	for name, definition := range schema.Types {
		node, isOrderField := strings.CutSuffix(name, "OrderField")
		if !isOrderField || definition.Kind != ast.Enum {
			continue
		}
		columns, found := tables[tableName(node)]
		if !found {
			continue
		}
		for _, value := range definition.EnumValues {
			column := strings.ToLower(value.Name)
			if columns[column] {
				if guard.nullable[node] == nil {
					guard.nullable[node] = make(map[string]string)
				}
				guard.nullable[node][value.Name] = whereKey(schema.Types[node+"WhereInput"], lowerCamel(column)+"NotNil")
			}
		}
	}
	return guard
}

// tableName is ent's table name of a node type: snake case, plural.
func tableName(node string) string {
	var snake strings.Builder
	for i, r := range node {
		if i > 0 && r >= 'A' && r <= 'Z' {
			snake.WriteByte('_')
		}
		snake.WriteRune(r)
	}
	name := strings.ToLower(snake.String())
	if strings.HasSuffix(name, "y") {
		return strings.TrimSuffix(name, "y") + "ies"
	}
	return name + "s"
}

// whereKey returns the field of the where input that matches the key
// regardless of case, since ent spells initialisms in capitals
// (accountManagerIDNotNil), or the key itself when there is none.
func whereKey(where *ast.Definition, key string) string {
	if where != nil {
		for _, field := range where.Fields {
			if strings.EqualFold(field.Name, key) {
				return field.Name
			}
		}
	}
	return key
}

func lowerCamel(column string) string {
	parts := strings.Split(column, "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// ExtensionName implements graphql.HandlerExtension.
func (NullableCursors) ExtensionName() string { return "BreadboxNullableCursors" }

// Validate implements graphql.HandlerExtension.
func (NullableCursors) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext checks every connection field of the operation.
func (g NullableCursors) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	return eachField(rc.Operation.SelectionSet, func(field *ast.Field) *gqlerror.Error {
		return g.checkField(field, rc.Variables)
	})
}

func (g NullableCursors) checkField(field *ast.Field, variables map[string]any) *gqlerror.Error {
	if field.Definition == nil || field.Definition.Arguments.ForName("orderBy") == nil {
		return nil
	}
	node, isConnection := strings.CutSuffix(field.Definition.Type.Name(), "Connection")
	nullable := g.nullable[node]
	if !isConnection || len(nullable) == 0 {
		return nil
	}
	arguments := field.ArgumentMap(variables)
	if arguments["after"] == nil && arguments["before"] == nil {
		return nil
	}
	where, _ := arguments["where"].(map[string]any)

	for _, order := range orderList(arguments["orderBy"]) {
		name, _ := order["field"].(string)
		notNil, isNullable := nullable[name]
		if !isNullable || where[notNil] == true {
			continue
		}
		return &gqlerror.Error{
			Message: fmt.Sprintf("%s: paging with after or before is not supported while ordering by %s, which can be null, because rows with a null %s would be skipped; "+
				"add where: {%s: true} to page over the rows that have one, or page the REST list, whose cursors handle nulls", field.Name, name, name, notNil),
			Path:       ast.Path{ast.PathName(field.Alias)},
			Extensions: map[string]any{"code": "validation_error", "details": []map[string]any{{"path": []any{"orderBy"}, "message": "orders by " + name + ", which can be null, while paging with a cursor"}}},
		}
	}
	return nil
}

// orderList returns the orderBy argument as a list: a single order or a
// list of orders.
func orderList(value any) []map[string]any {
	switch typed := value.(type) {
	case map[string]any:
		return []map[string]any{typed}
	case []any:
		orders := make([]map[string]any, 0, len(typed))
		for _, item := range typed {
			if order, ok := item.(map[string]any); ok {
				orders = append(orders, order)
			}
		}
		return orders
	}
	return nil
}
