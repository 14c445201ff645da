package rest

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
)

// The sort fields every list has.
var (
	createdAtField = pagination.Field{Name: "createdAt", Column: "created_at"}
	updatedAtField = pagination.Field{Name: "updatedAt", Column: "updated_at"}
)

// cursorPattern is the form of a cursor, which is the ID of a record.
var cursorPattern = regexp.MustCompile(`^[a-z]+_[0-9A-Za-z]{1,60}$`)

// parsePage reads limit, cursor, sort and updatedAfter.
//
// limit defaults to pagination.DefaultLimit and is clamped to
// pagination.MaxLimit; non-numeric or below 1 is a validation error. sort is
// comma-separated field:direction pairs (asc when the direction is left out);
// fields outside the operation's list are ignored. Without a usable sort the
// list is newest first, or updatedAt ascending when updatedAfter is given, so
// an incremental sync can resume from its last timestamp. updatedAfter is
// RFC 3339 and exclusive; a + of its offset that arrived decoded as a space is
// read as +.
func parsePage(query url.Values, op *Operation) (pagination.Page, error) {
	page := pagination.Page{Limit: pagination.DefaultLimit}
	var details []apierr.Detail
	fail := func(name, message string) {
		details = append(details, apierr.Detail{Path: []any{name}, Message: message})
	}

	if raw := query.Get("limit"); raw != "" {
		limit, err := strconv.Atoi(strings.TrimSpace(raw))
		switch {
		case err != nil || limit < 1:
			fail("limit", "must be a whole number from 1 to 100, got "+strconv.Quote(raw))
		case limit > pagination.MaxLimit:
			page.Limit = pagination.MaxLimit
		default:
			page.Limit = limit
		}
	}

	if raw := query.Get("cursor"); raw != "" {
		if cursorPattern.MatchString(raw) {
			page.Cursor = raw
		} else {
			fail("cursor", "is malformed; pass the nextCursor of the previous page, got "+strconv.Quote(raw))
		}
	}

	if raw := query.Get("updatedAfter"); raw != "" {
		repaired := strings.ReplaceAll(strings.TrimSpace(raw), " ", "+")
		after, err := time.Parse(time.RFC3339Nano, repaired)
		if err != nil {
			fail("updatedAfter", "must be an RFC 3339 time such as 2026-05-01T00:00:00Z, got "+strconv.Quote(raw))
		} else {
			page.UpdatedAfter = &after
		}
	}

	sort, problem := parseSort(query.Get("sort"), op.Sorts)
	if problem != "" {
		fail("sort", problem)
	}
	switch {
	case len(sort) > 0:
		page.Sort = sort
	case page.UpdatedAfter != nil:
		page.Sort = []pagination.Term{{Field: updatedAtField}}
	case op.DefaultSort != nil:
		page.Sort = op.DefaultSort
	default:
		page.Sort = []pagination.Term{{Field: createdAtField, Desc: true}}
	}

	if len(details) > 0 {
		return page, apierr.Validation(details...)
	}
	return page, nil
}

// parseSort reads field:direction pairs. Unknown fields are skipped, as are
// repeats of a field; a direction other than asc or desc is a problem.
func parseSort(raw string, fields []pagination.Field) ([]pagination.Term, string) {
	if strings.TrimSpace(raw) == "" {
		return nil, ""
	}
	var terms []pagination.Term
	var seen []string
	for _, part := range strings.Split(raw, ",") {
		name, direction, _ := strings.Cut(strings.TrimSpace(part), ":")
		name = strings.TrimSpace(name)
		desc := false
		switch strings.ToLower(strings.TrimSpace(direction)) {
		case "", "asc":
		case "desc":
			desc = true
		default:
			return nil, "direction " + strconv.Quote(direction) + " of " + strconv.Quote(name) + " must be asc or desc"
		}

		index := slices.IndexFunc(fields, func(f pagination.Field) bool { return f.Name == name })
		if index < 0 || slices.Contains(seen, name) {
			continue
		}
		seen = append(seen, name)
		terms = append(terms, pagination.Term{Field: fields[index], Desc: desc})
	}
	return terms, ""
}

// queryParams lists the query parameters of the operation, in the order its
// OpenAPI document lists them: the list parameters, the filters and the
// operation's own.
func (op *Operation) queryParams() []string {
	var names []string
	if op.List {
		names = append(names, "limit", "cursor", "sort", "updatedAfter")
	}
	names = append(names, op.Filters...)
	for _, param := range op.Doc.Query {
		if !slices.Contains(names, param.Name) {
			names = append(names, param.Name)
		}
	}
	return names
}

// checkQuery rejects a query parameter that the operation does not take.
// A misspelt filter (accountID for accountId) would otherwise be ignored and
// the caller would get every record while believing it got a filtered page.
func (op *Operation) checkQuery(rawQuery string) error {
	// url.Values from URL.Query drops the pairs it cannot parse, such as
	// accountId=A;type=CALL or a bad %-escape, which would silently widen
	// a filtered list.
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return apierr.Invalid("query", "is malformed (%v); separate parameters with & and percent-encode reserved characters", err)
	}
	// PostgreSQL cannot compare text with a NUL character, and SQLite would
	// match it wrongly, so a filter value with one is rejected on both.
	for name, values := range query {
		if slices.ContainsFunc(values, func(v string) bool { return strings.ContainsRune(v, 0) }) {
			return apierr.Invalid(name, "must not contain a NUL character")
		}
	}
	known := op.queryParams()
	var unknown []string
	for name := range query {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)

	takes := "takes no query parameters"
	if len(known) > 0 {
		takes = "takes " + strings.Join(known, ", ") + "; names are case-sensitive"
	}
	details := make([]apierr.Detail, len(unknown))
	for i, name := range unknown {
		details[i] = apierr.Detail{Path: []any{name}, Message: "is not a query parameter of " + op.Method + " /api/v1" + op.Path + ", which " + takes}
	}
	return apierr.Validation(details...)
}

// filters reads the filter parameters of a list, collecting every problem.
type filters struct {
	query   url.Values
	details []apierr.Detail
}

func newFilters(r *request) *filters { return &filters{query: r.URL.Query()} }

func (f *filters) fail(name, message string) {
	f.details = append(f.details, apierr.Detail{Path: []any{name}, Message: message})
}

// err returns the problems found, or nil.
func (f *filters) err() error {
	if len(f.details) == 0 {
		return nil
	}
	return apierr.Validation(f.details...)
}

// text returns a filter's value, or "" when it is absent.
func (f *filters) text(name string) string {
	return strings.TrimSpace(f.query.Get(name))
}

// id returns a filter that must be an ID of the entity named by prefix.
func (f *filters) id(name, prefix string) string {
	raw := f.text(name)
	if raw == "" {
		return ""
	}
	if !cursorPattern.MatchString(raw) || !id.HasPrefix(raw, prefix) {
		f.fail(name, "must be an ID starting with "+prefix+"_, got "+strconv.Quote(raw))
		return ""
	}
	return raw
}

// boolean returns a filter of true or false; nil when it is absent.
func (f *filters) boolean(name string) *bool {
	raw := f.text(name)
	if raw == "" {
		return nil
	}
	value, err := strconv.ParseBool(raw)
	if err != nil || (raw != "true" && raw != "false") {
		f.fail(name, "must be true or false, got "+strconv.Quote(raw))
		return nil
	}
	return &value
}

// enumFilter returns a filter that must be one of allowed; "" when absent.
func enumFilter[E ~string](f *filters, name string, allowed []E) E {
	raw := f.text(name)
	if raw == "" {
		return ""
	}
	if !slices.Contains(allowed, E(raw)) {
		f.fail(name, "must be one of "+joinValues(allowed)+", got "+strconv.Quote(raw))
		return ""
	}
	return E(raw)
}
