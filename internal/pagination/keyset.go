package pagination

import (
	"entgo.io/ent/dialect/sql"
)

// NULL is treated as larger than every value: it sorts last ascending and
// first descending on both databases, because orderBy spells NULLS LAST and
// NULLS FIRST out (SQLite's default is the opposite of PostgreSQL's).

// orderBy returns the ORDER BY of the terms.
func orderBy(terms []Term) func(*sql.Selector) {
	return func(s *sql.Selector) {
		for _, term := range terms {
			var options []sql.OrderTermOption
			if term.Desc {
				options = append(options, sql.OrderDesc())
			}
			if term.Field.Nullable {
				if term.Desc {
					options = append(options, sql.OrderNullsFirst())
				} else {
					options = append(options, sql.OrderNullsLast())
				}
			}
			sql.OrderByField(term.Field.Column, options...).ToFunc()(s)
		}
	}
}

// after returns the predicate that keeps the rows sorted after the cursor row,
// whose sort values are values (nil for NULL). A row qualifies when, for some
// i, it ties with the cursor row on the first i terms and comes after it on
// term i.
func after(terms []Term, values []any) func(*sql.Selector) {
	return func(s *sql.Selector) {
		var alternatives []*sql.Predicate
		var ties []*sql.Predicate
		for i, term := range terms {
			column := s.C(term.Field.Column)
			if later := laterThan(column, term.Desc, values[i]); later != nil {
				alternatives = append(alternatives, sql.And(append(append([]*sql.Predicate{}, ties...), later)...))
			}
			ties = append(ties, equalTo(column, values[i]))
		}
		if len(alternatives) == 0 {
			s.Where(sql.False())
			return
		}
		s.Where(sql.Or(alternatives...))
	}
}

// laterThan returns the predicate of the values that sort strictly after
// value in one column, or nil when none can.
func laterThan(column string, desc bool, value any) *sql.Predicate {
	switch {
	case value == nil && !desc:
		// NULL is last ascending: nothing comes after it.
		return nil
	case value == nil && desc:
		// NULL is first descending: every non-NULL value comes after it.
		return sql.NotNull(column)
	case desc:
		return sql.LT(column, value)
	default:
		return sql.Or(sql.GT(column, value), sql.IsNull(column))
	}
}

func equalTo(column string, value any) *sql.Predicate {
	if value == nil {
		return sql.IsNull(column)
	}
	return sql.EQ(column, value)
}
