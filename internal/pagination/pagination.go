// Package pagination pages through ent queries by keyset: a page continues
// after the row whose ID the client passes as its cursor, for any sort, with
// the ID as the last tie-breaker. Unlike entgql's cursors it handles nullable
// sort fields, with NULL last ascending and first descending. A walk over a
// nullable field visits every row that did not move exactly once, which the
// REST tests check on SQLite and PostgreSQL while rows change.
package pagination

import (
	"context"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/internal/apierr"
)

// Page sizes: the size when the client names none, and the largest a client
// may ask for. Larger requests are clamped to MaxLimit.
const (
	DefaultLimit = 50
	MaxLimit     = 100
)

// Field is a column that a list may be sorted by.
type Field struct {
	// Name is the field's API name, such as estimatedMrr.
	Name string
	// Column is the SQL column, such as estimated_mrr. It also names the
	// entity's struct field through its json tag, which ent sets to the
	// column name.
	Column string
	// Nullable marks a column that may hold NULL, so the keyset predicate
	// handles NULL explicitly.
	Nullable bool
}

// Term is one field of a sort with its direction.
type Term struct {
	Field Field
	Desc  bool
}

// Page is a request for one page of a list.
type Page struct {
	// Limit is the page size, from 1 to MaxLimit.
	Limit int
	// Cursor is the ID of the last row of the previous page, or "" for the
	// first page.
	Cursor string
	// Sort is the order of the list without the ID tie-breaker, which
	// Paginate appends in the direction of the last term.
	Sort []Term
	// UpdatedAfter, when set, keeps only rows updated strictly after it.
	UpdatedAfter *time.Time
}

// Result is one page of a list.
type Result[T any] struct {
	Items []T
	// HasMore reports whether rows follow this page.
	HasMore bool
	// NextCursor is the ID of the page's last row, or "" on the last page.
	NextCursor string
}

// Query is the part of a generated ent query that Paginate uses. Q is the
// query type itself, T the entity, P its predicate and O its order option.
type Query[Q any, T any, P ~func(*sql.Selector), O ~func(*sql.Selector)] interface {
	Where(...P) Q
	Order(...O) Q
	Limit(int) Q
	All(context.Context) ([]T, error)
	Only(context.Context) (T, error)
}

// isNotFound reports whether err is ent's not-found error. The generated ent
// package is not imported here, so the check goes through the API error
// translation.
func isNotFound(err error) bool {
	return err != nil && apierr.From(err).Code == apierr.NotFound
}

// Paginate returns the page of rows of newQuery that match filters. The
// cursor row is loaded through a query without the filters, so a row that
// stopped matching them (a deal that changed stage) still marks where the
// page continues. The cursor row must be visible to newQuery, so a cursor of
// another org is a validation error naming cursor, like an unknown one.
func Paginate[Q Query[Q, T, P, O], T any, P ~func(*sql.Selector), O ~func(*sql.Selector)](
	ctx context.Context, newQuery func() Q, filters []P, page Page,
) (Result[T], error) {
	var result Result[T]
	if page.Limit < 1 || page.Limit > MaxLimit {
		return result, fmt.Errorf("page limit %d is outside 1 to %d", page.Limit, MaxLimit)
	}
	terms := withTieBreaker(page.Sort)

	query := newQuery().Where(filters...)
	if page.UpdatedAfter != nil {
		after := page.UpdatedAfter.UTC()
		query = query.Where(P(func(s *sql.Selector) {
			s.Where(sql.GT(s.C("updated_at"), after))
		}))
	}
	if page.Cursor != "" {
		cursorRow, err := newQuery().Where(P(idEquals(page.Cursor))).Only(ctx)
		switch {
		case isNotFound(err):
			return result, apierr.Invalid("cursor", "%q is not the ID of a record of this list; pass the nextCursor of the previous page", page.Cursor)
		case err != nil:
			return result, fmt.Errorf("loading the cursor row: %w", err)
		}
		values, err := sortValues(cursorRow, terms)
		if err != nil {
			return result, err
		}
		query = query.Where(P(after(terms, values)))
	}

	rows, err := query.Order(O(orderBy(terms))).Limit(page.Limit + 1).All(ctx)
	if err != nil {
		return result, err
	}
	if len(rows) > page.Limit {
		rows = rows[:page.Limit]
		result.HasMore = true
	}
	result.Items = rows
	if result.HasMore {
		id, err := rowID(rows[len(rows)-1])
		if err != nil {
			return result, err
		}
		result.NextCursor = id
	}
	return result, nil
}

// idField is the tie-breaker that ends every sort.
var idField = Field{Name: "id", Column: "id"}

func withTieBreaker(sort []Term) []Term {
	terms := make([]Term, 0, len(sort)+1)
	desc := false
	for _, term := range sort {
		if term.Field.Column == idField.Column {
			continue
		}
		terms = append(terms, term)
		desc = term.Desc
	}
	return append(terms, Term{Field: idField, Desc: desc})
}

func idEquals(id string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		s.Where(sql.EQ(s.C(idField.Column), id))
	}
}

// errNoID is returned for an entity type without an ID field, which would be
// a programming error.
var errNoID = errors.New("the entity has no id field")
